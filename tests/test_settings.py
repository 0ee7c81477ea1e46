"""settings.json: typed values, and a damaged file kept aside with a message, never a crash or a silent reset."""

from __future__ import annotations

import json

from desktop_app.cli import main
from desktop_app.core.settings import Settings


def test_settings_round_trip_without_a_problem(tmp_path):
    path = tmp_path / "settings.json"
    Settings().with_changes(top_k=7, temperature=0.5, active_adapters=(("/a.gguf", 0.5),)).save(path)
    settings, problem = Settings.read(path)
    assert problem is None and settings.top_k == 7 and settings.active_adapters == (("/a.gguf", 0.5),)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_file_that_is_not_json_is_kept_aside_and_the_defaults_apply(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"top_k": 7,', encoding="utf-8")
    settings, problem = Settings.read(path)
    assert settings == Settings() and "not valid settings" in problem
    kept = list(tmp_path.glob("settings.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"top_k": 7,' and kept[0].name in problem
    assert not path.exists()


def test_a_value_of_the_wrong_type_is_named_and_the_good_values_kept(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"top_k": "five", "n_ctx": 2048, "temperature": 1, "active_adapters": 3}),
                    encoding="utf-8")
    settings, problem = Settings.read(path)
    assert settings.n_ctx == 2048 and settings.temperature == 1.0 and settings.top_k == Settings().top_k
    assert "top_k='five'" in problem and "active_adapters=3" in problem and "n_ctx" not in problem
    assert len(list(tmp_path.glob("settings.json.bad-*"))) == 1


def test_the_cli_says_what_was_wrong_and_carries_on(tmp_path, capsys):
    (tmp_path / "settings.json").write_text("[1, 2]", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "settings"]) == 0
    captured = capsys.readouterr()
    assert "warning: The settings file" in captured.err and "kept as settings.json.bad-" in captured.err
    assert "top_k = 5" in captured.out
