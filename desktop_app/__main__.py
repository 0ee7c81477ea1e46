from desktop_app.cli import main

if __name__ == "__main__":  # guarded: parser worker processes are spawned and re-import this module
    raise SystemExit(main())
