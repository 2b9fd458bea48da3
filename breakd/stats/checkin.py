"""Check-ins: how the neck and shoulders feel, and when that is a reason to see a professional.

What this module owns: the rule for "this is the point to see a doctor or physiotherapist" and
its wording (the warning signs themselves, and the one duration they use, come from
``breakd.core.content``). A check-in is a score from 0 (no pain) to 10 (the worst
imaginable), one per day.

The rule (documented for the user in ``breakd checkin --help``):

- pain means a score of ``PAIN_SCORE`` (3) or more: on the usual 0-10 scale 1-2 is a niggle
  you notice and forget, 3 is pain that gets in the way of work;
- it triggers when pain was recorded on more than three days in a row (``STREAK_DAYS`` = 4),
  or when the last three check-ins each rose above the one before and the last two are pain
  (getting worse: "see a doctor if ... getting rapidly worse", NHS / NICE CKS);
- days without a check-in (a weekend, a day off) do not break a run, as long as consecutive
  check-ins are at most ``MAX_GAP_DAYS`` (3) days apart, so Friday to Monday is still in a row;
- only the run ending at the latest check-in counts, and only while that check-in is recent
  (``RECENT_DAYS``): pain that has since gone no longer asks for anything;
- one bad day never triggers it on its own.

Must not: do I/O or read a clock (``today`` is passed in), except ``professional_notice``,
which reads the store it is given. Must not diagnose: the message points to a professional and
lists the warning signs from ``breakd.core.content``, nothing more.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from breakd.core.content import warning_signs_text
from breakd.core.words import ENGLISH, Translator
from breakd.store.sqlite import Checkin, Store

PAIN_SCORE = 3
STREAK_DAYS = 4  # "more than three days in a row"
RISING_CHECKINS = 3
MAX_GAP_DAYS = 3
RECENT_DAYS = 7
LOOKBACK_DAYS = 30  # how far back professional_notice reads check-ins


@dataclass(frozen=True)
class Advice:
    """Why it is time to see a professional, and since when (``key`` names the episode)."""

    reason: str  # "streak" or "rising"
    since: dt.date  # the first check-in of the run that triggered it
    days: int  # check-ins in that run
    latest_score: int

    @property
    def key(self) -> str:
        """The same for every day of one episode, so the daemon notifies once per episode."""
        return f"professional:{self.since.isoformat()}"

    def text(self, *, brief: bool = False, tr: Translator = ENGLISH) -> str:
        """The message for ``breakd stats`` (full) or the daemon's notification (brief: it
        fits the reminders' line budget, so the warning signs are never the part cut), in the
        language of ``tr``."""
        if brief:
            return f"{self._brief_what(tr)}\n{warning_signs_text(brief=True, tr=tr)}"
        if self.reason == "streak":
            what = tr.ngettext(
                "You have recorded neck or shoulder pain ({score}/10 or more) on {n} day in a row.",
                "You have recorded neck or shoulder pain ({score}/10 or more) on {n} days "
                "in a row.",
                self.days,
            ).format(score=PAIN_SCORE, n=self.days)
        else:
            what = tr.ngettext(
                "Your neck and shoulder pain has gone up at each of your last {n} check-in, "
                "to {score}/10.",
                "Your neck and shoulder pain has gone up at each of your last {n} check-ins, "
                "to {score}/10.",
                self.days,
            ).format(score=self.latest_score, n=self.days)
        advice = tr.gettext(
            "This is the point to see a doctor or physiotherapist, rather than keep going "
            "with stretches alone. Breaks and gentle movement still help in the meantime."
        )
        return f"{what} {advice}\n\n{warning_signs_text(tr=tr)}"

    def _brief_what(self, tr: Translator) -> str:
        if self.reason == "streak":
            text = tr.ngettext(
                "Neck or shoulder pain on {n} day in a row: see a doctor or physiotherapist.",
                "Neck or shoulder pain on {n} days in a row: see a doctor or physiotherapist.",
                self.days,
            )
        else:
            text = tr.ngettext(
                "Your pain rose at {n} check-in, to {score}/10: see a doctor or physiotherapist.",
                "Your pain rose at {n} check-ins, to {score}/10: see a doctor or physiotherapist.",
                self.days,
            )
        return text.format(n=self.days, score=self.latest_score)


def assess(checkins: Sequence[Checkin], *, today: dt.date | None = None) -> Advice | None:
    """The advice the check-ins call for, if any (see the module docstring for the rule)."""
    run = _latest_run(sorted(checkins, key=lambda c: c.day))
    if not run:
        return None
    latest = run[-1]
    if today is not None and (today - latest.day).days > RECENT_DAYS:
        return None
    streak = _pain_streak(run)
    if len(streak) >= STREAK_DAYS:
        return Advice("streak", streak[0].day, len(streak), latest.score)
    rising = run[-RISING_CHECKINS:]
    if _is_rising(rising):
        return Advice("rising", rising[0].day, len(rising), latest.score)
    return None


def needs_professional(
    checkins: Sequence[Checkin], *, today: dt.date | None = None, tr: Translator = ENGLISH
) -> str | None:
    """A gentle message to see a professional, with the warning signs; None if not needed."""
    advice = assess(checkins, today=today)
    return advice.text(tr=tr) if advice else None


def professional_notice(store: Store, today: dt.date) -> Advice | None:
    """For the daemon: the advice to notify about once, or None (none, or already given).

    Call it after each day roll-over and after a check-in; when it returns advice, show
    ``advice.text(brief=True)`` as one gentle notification and then call
    ``store.record_notice(advice.key, now)`` so the same episode is never notified again.
    """
    checkins = store.checkins(today - dt.timedelta(days=LOOKBACK_DAYS), today)
    advice = assess(checkins, today=today)
    if advice is None or store.notice_given(advice.key):
        return None
    return advice


def _latest_run(checkins: Sequence[Checkin]) -> list[Checkin]:
    """The check-ins ending at the latest one with no more than MAX_GAP_DAYS between any two."""
    run: list[Checkin] = []
    for checkin in checkins:
        if run and (checkin.day - run[-1].day).days > MAX_GAP_DAYS:
            run = []
        run.append(checkin)
    return run


def _pain_streak(run: Sequence[Checkin]) -> list[Checkin]:
    """The trailing check-ins of ``run`` that all record pain."""
    streak: list[Checkin] = []
    for checkin in reversed(run):
        if checkin.score < PAIN_SCORE:
            break
        streak.append(checkin)
    return streak[::-1]


def _is_rising(last: Sequence[Checkin]) -> bool:
    if len(last) < RISING_CHECKINS:
        return False
    scores = [c.score for c in last]
    rising = all(a < b for a, b in itertools.pairwise(scores))
    return rising and all(s >= PAIN_SCORE for s in scores[-2:])
