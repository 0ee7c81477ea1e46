"""Write the PDF of the shipped evaluation set (the other documents are plain text files).

    .venv/bin/python scripts/make_eval_docs.py
"""

import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root))
from scripts.sample_pdf import make_pdf  # noqa: E402

PAGES = [
    "Kestrel wind farm: report on the spring trial, prepared for the regional grid operator.",
    "The Kestrel turbine delivered 42 megawatts during the spring trial, above its 38 megawatt target.",
    "Blade inspection is due every 6 months. The gearbox oil is changed every 12 months.",
    "The wind farm has 17 turbines and was connected to the grid in 2021 by Nordvik Energy.",
]

if __name__ == "__main__":
    (root / "resources/eval/docs/kestrel-wind-farm.pdf").write_bytes(make_pdf(PAGES))
