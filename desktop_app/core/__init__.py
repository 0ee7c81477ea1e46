"""The Qt-free core: ingest, store, retrieval, generation, adapters, settings.

Nothing under this package imports Qt; the CLI, the tests and the GUI are its clients.
"""
