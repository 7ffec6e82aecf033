"""Clean seed 001 (Traditional text with pinyin annotations) into Simplified text.

Seed 001 was scraped from a page that inserted the pinyin of "difficult"
characters after them, e.g. ``區(qū)`` or ``關(guān)``, and it is in Traditional
characters. ``forms/mouqu.toml`` was built from this script's output; the
script is kept so the provenance of that text can be checked and redone.

Usage: python tools/clean_seed_001.py [path-to-seed-001] > cleaned.txt

Only parentheses that hold Latin letters (with or without tone marks) are
removed, so real parentheses such as ``(1)`` or ``(含個體工商戶)`` stay. Then
opencc converts Traditional to Simplified. What is left is mojibake where the
scraper garbled a few characters (``?!坝H”``, ``当?shù)毓珓?wù)``) and one lost
paragraph break; ``HAND_FIXES`` repairs those from the context, each one
explained. Anything else suspicious is reported on stderr.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import opencc

# Latin letters as pinyin uses them: a-z plus the toned vowels and ü (any case).
_PINYIN_LETTER = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_ANNOTATION = re.compile(rf"\([{_PINYIN_LETTER}]+\)")


# (garbled, repaired) pairs applied after the conversion. Each garbled run
# stands for characters that the sentence around it makes certain.
HAND_FIXES = (
    # 第三条: “亲”“清” are defined in turn; the garbled runs hold “。“亲”” and “。“清”是指政商关”.
    ("政商关系?!坝H”是指", "政商关系。“亲”是指"),
    ("谋发展?!扒濉笔侵刚剃P系要清白", "谋发展。“清”是指政商关系要清白"),
    # 第十四条(3): the usual wording “不超过当地公务接待标准”.
    ("不超过当?shù)毓珓?wù)接待标准", "不超过当地公务接待标准"),
    # 第十五条(7): a paragraph break was lost after the item; the next sentence is
    # the rule on conflicts of interest, not part of the prohibition.
    ("规章的行为公职人员尤其是领导干部", "规章的行为。\n公职人员尤其是领导干部"),
    # 第二十二条(3): the closing words “……鼓励担当的良好氛围。” plus a stray </p> tag.
    ("鼓励担当?shù)牧己梅諊?/p>", "鼓励担当的良好氛围。"),
)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = PINYIN_ANNOTATION.sub("", text)
    text = opencc.OpenCC("t2s").convert(text)
    for garbled, repaired in HAND_FIXES:
        if garbled not in text:
            raise ValueError(f"expected artefact not found (seed changed?): {garbled}")
        text = text.replace(garbled, repaired)
    return text


def default_seed() -> Path:
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    return next(seeds.glob("001_*.txt"))


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else default_seed()
    cleaned = clean(path.read_text(encoding="utf-8"))
    for number, line in enumerate(cleaned.splitlines(), start=1):
        if "?" in line or "<" in line:
            print(f"line {number}: artefact left for a human: {line[:60]}…", file=sys.stderr)
    sys.stdout.write(cleaned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
