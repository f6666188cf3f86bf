"""Numbers with their counters and date expressions, listed for the curator, never asserted.

kiwipiepy tags a number (SN, or NR for a numeral word such as 여섯) and its counter (a bound noun,
NNB: 개, 명, 곳, 기, 회, 위, 년, 개국); "여" after the number (50여 개) makes it approximate.
Date expressions (18일, 10월 18일, 지난해 10월, 2023년 말, 오는 18일, 2021-10-20) are something
kiwipiepy does not read, so a pattern finds them; relative ones are resolved against the article's
date where it is known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wegokg.curate.draft.sentences import Segment

_NUMERAL_WORDS = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4,
                  "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}  # fmt: skip
_APPROXIMATE = ("여", "약", "가량", "쯤", "정도", "남짓")
# Counters kiwipiepy tags as common nouns (NNG) rather than bound nouns: 7곳, 제6기, 150명.
COUNTER_NOUNS = frozenset({"곳", "명", "기", "회", "위", "년", "개국", "건", "차", "주년", "개월"})
# Counters of time that belong to a date expression, not to a count.
_DATE_COUNTERS = ("월", "일", "시", "분", "초")

_RELATIVE_YEAR = {"지난해": -1, "작년": -1, "올해": 0, "금년": 0, "내년": 1, "이듬해": 1}
DATE = re.compile(
    r"(?:(?P<dir>오는|지난)\s*)?"
    r"(?:(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"|(?:(?P<rel>지난해|작년|올해|금년|내년|이듬해)(?:\s*(?P<rm>\d{1,2})\s*월)?(?:\s*(?P<rd>\d{1,2})\s*일)?)"
    r"|(?:(?<!\d)(?P<y>\d{4})\s*년(?:\s*(?P<ym>\d{1,2})\s*월)?(?:\s*(?P<yd>\d{1,2})\s*일)?)"
    r"|(?:(?<!\d)(?P<m>\d{1,2})\s*월(?:\s*(?P<md>\d{1,2})\s*일)?)"
    r"|(?:(?<![\d.])(?P<d>\d{1,2})\s*일(?![가-힣])))"
    r"(?:\s*(?P<part>말|초|중순|초순|하순|상반기|하반기))?"
    r"(?:\s*(?P<time>(?:오전|오후)\s*\d{1,2}\s*시(?:\s*\d{1,2}\s*분)?|\d{1,2}:\d{2}(?::\d{2})?))?"
)


@dataclass(frozen=True)
class Count:
    text: str
    start: int
    end: int
    segment: int
    value: int | None
    counter: str
    approximate: bool


@dataclass(frozen=True)
class DateExpression:
    text: str
    start: int
    end: int
    segment: int
    resolved: str | None  # ISO year, year-month or date, with a part such as "말 (end)"


def find_dates(segments: Sequence[Segment], article_date: dt.date | None) -> list[DateExpression]:
    found = []
    for number, segment in enumerate(segments):
        if not segment.is_quote:
            continue
        for match in DATE.finditer(segment.exact):
            text = match.group().rstrip()
            start = segment.start + match.start()
            found.append(
                DateExpression(
                    text, start, start + len(text), number, _resolve(match, article_date)
                )
            )
    return found


def find_counts(
    segments: Sequence[Segment], tokens: Sequence[Any], dates: Sequence[DateExpression]
) -> list[Count]:
    """Each number with its counter; numbers inside a date expression are the dates'."""
    in_date = [(d.start, d.end) for d in dates]
    found = []
    for i, token in enumerate(tokens):
        if token.tag not in ("SN", "NR"):
            continue
        if any(s <= token.start < e for s, e in in_date):
            continue
        value = _value(token)
        approximate = False
        end = token.start + token.len
        counter: list[str] = []
        j = i + 1
        while j < len(tokens) and tokens[j].start - end <= 1:
            nxt = tokens[j]
            if nxt.tag == "XSN" and nxt.form in _APPROXIMATE and not counter:
                approximate = True
            elif _counts(nxt, counter):
                counter.append(nxt.form)
            elif nxt.tag == "NNG" and counter == ["개"]:
                counter.append(" " + nxt.form)  # 개 도시, 개 분야: what is counted
            else:
                break
            end = nxt.start + nxt.len
            j += 1
        if not counter or counter[0] in _DATE_COUNTERS:
            continue
        segment = _segment_at(segments, token.start)
        if segment is None:
            continue
        text = segments[segment].exact[
            token.start - segments[segment].start : end - segments[segment].start
        ]
        found.append(
            Count(text, token.start, end, segment, value, "".join(counter).strip(), approximate)
        )
    return found


def _counts(token: Any, counter: list[str]) -> bool:
    """Whether ``token`` is the counter after a number (개, 명, 곳), or the 째 after it (4회째)."""
    if not counter:
        return token.tag == "NNB" or token.form in COUNTER_NOUNS
    return token.tag == "XSN" and token.form == "째"


def _value(token: Any) -> int | None:
    if token.tag == "SN":
        digits = token.form.replace(",", "")
        return int(digits) if digits.isdigit() else None
    return _NUMERAL_WORDS.get(token.form)


def _segment_at(segments: Sequence[Segment], offset: int) -> int | None:
    for number, segment in enumerate(segments):
        if segment.is_quote and segment.start <= offset < segment.end:
            return number
    return None


def _resolve(match: re.Match[str], today: dt.date | None) -> str | None:
    """The expression as an ISO date (or year, or year-month), with its time of day if given."""
    day = _resolve_day(match, today)
    clock = _clock(match.group("time"))
    return f"{day} {clock}" if day and clock else day


def _clock(text: str | None) -> str | None:
    """오후 3시 -> 15:00, 14:50 -> 14:50 (no time zone: the page gives none)."""
    if not text:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    hour, minute = numbers[0], numbers[1] if len(numbers) > 1 else 0
    if text.startswith("오후") and hour < 12:
        hour += 12
    elif text.startswith("오전") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def _resolve_day(match: re.Match[str], today: dt.date | None) -> str | None:
    g = match.groupdict()
    direction = g["dir"]
    part = f" {g['part']}" if g["part"] else ""
    if g["iso"]:
        return f"{int(g['iy']):04d}-{int(g['im']):02d}-{int(g['id']):02d}"
    if g["y"]:
        return _iso(int(g["y"]), _int(g["ym"]), _int(g["yd"])) + part
    if today is None:
        return None
    if g["rel"]:
        return _iso(today.year + _RELATIVE_YEAR[g["rel"]], _int(g["rm"]), _int(g["rd"])) + part
    if g["m"]:
        month, day, year = int(g["m"]), _int(g["md"]), today.year
        if direction == "지난" and (month, day or 1) > (today.month, today.day):
            year -= 1
        elif direction == "오는" and (month, day or 31) < (today.month, today.day):
            year += 1
        return _iso(year, month, day) + part
    day, year, month = int(g["d"]), today.year, today.month
    if direction == "오는" and day < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif direction == "지난" and day > today.day:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return _iso(year, month, day) + part


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}-{day:02d} (no such date)"


def article_date(text: str) -> dt.date | None:
    """The first date of a date line (등록 2021-10-20 12:26:50, 기사입력 : 2021년10월13일 14:50)."""
    match = re.search(r"(\d{4})\s*(?:[-./]|년)\s*(\d{1,2})\s*(?:[-./]|월)\s*(\d{1,2})", text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
