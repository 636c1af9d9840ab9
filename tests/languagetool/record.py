"""Record real LanguageTool answers for the texts below into this folder (one JSON file each).

The grammar tests classify these answers (``test_grammar.py``), so the mapping of LanguageTool's
categories and issue types to healthlint's rules is tested against what LanguageTool really
says, not against answers written by hand. Each request is sent with the settings healthlint
sends by default. Record again after changing the LanguageTool version in
``src/healthlint/families/grammar/data/pom.xml``:

    healthlint languagetool serve &        # or any running LanguageTool
    .venv/bin/python tests/languagetool/record.py http://127.0.0.1:8081
"""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from healthlint.families.grammar.client import CheckSettings
from healthlint.families.grammar.options import DEFAULT_DISABLED_RULES

HERE = Path(__file__).resolve().parent

TEXTS = {
    "a_vs_an": "These are a error.",
    "confused_words": "Their is a problem with the dose.",
    "misspelt_medical_term": "Take ibuprofin twice a day with food.",
    "modal_of": "You could of taken a smaller dose.",
    "compounds": "Chest x rays can show a life threatening problem.",
    "misspelt_names": "She met Jon Lenon and Albert Einstien in the clinic.",
    "whether_or_not": "Ask whether or not the pain has changed.",
    "verb_agreement": "After a long walk she go to bed early.",
    "lower_case_start": "if the pain gets worse call your doctor.",
    "emoji": "Stretch \N{FLEXED BICEPS}\N{FLEXED BICEPS} daily, then she go for a walk.",
}


def main(url: str) -> None:
    settings = CheckSettings(disabled_rules=DEFAULT_DISABLED_RULES)
    for name, text in TEXTS.items():
        form = settings.form(text)
        request = urllib.request.Request(f"{url.rstrip('/')}/v2/check", data=urllib.parse.urlencode(form).encode())
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        record = {"text": text, "form": {k: v for k, v in form.items() if k != "text"}, "answer": answer}
        (HERE / f"{name}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{name}: {', '.join(m['rule']['id'] for m in answer['matches']) or 'no matches'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8081")
