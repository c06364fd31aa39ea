"""Plausible English for generated articles and comments, from word lists and a seeded RNG.

Curly apostrophes and quotes appear on purpose: real WordPress text is texturized.
"""

from __future__ import annotations

import random

SUBJECTS = (
    "The city council",
    "State lawmakers",
    "The governor",
    "Local business owners",
    "Federal regulators",
    "The school board",
    "Several economists",
    "The transit authority",
    "Hospital administrators",
    "Farmers in the valley",
    "The mayor’s office",
    "Union leaders",
    "A group of parents",
    "The water utility",
    "Independent auditors",
    "Two former officials",
    "The planning commission",
    "Voters in the county",
    "Researchers at the state university",
    "The Senate committee",
    "Diplomats in Brussels",
    "The defense ministry",
)
VERBS_PAST = (
    "approved",
    "rejected",
    "questioned",
    "delayed",
    "proposed",
    "criticized",
    "defended",
    "reviewed",
    "postponed",
    "announced",
    "expanded",
    "scaled back",
    "debated",
    "endorsed",
)
OBJECTS = (
    "a new budget for the coming year",
    "the plan to widen the highway",
    "a tax on short-term rentals",
    "the proposal for a new library",
    "changes to the zoning code",
    "the contract with the bus operator",
    "a pilot program for rural broadband",
    "the cost of the stadium renovation",
    "stricter rules for water use",
    "a report on school funding",
    "the merger of two regional hospitals",
    "the pension reform package",
    "new limits on overtime",
    "the trade agreement with its neighbors",
    "an increase in foreign aid",
    "the sale of surplus farmland",
)
TAILS = (
    "on Tuesday",
    "after months of debate",
    "despite strong objections",
    "in a narrow vote",
    "late last week",
    "for the second time this year",
    "without much public notice",
    "after a heated public hearing",
    "ahead of the spring deadline",
    "earlier this month",
)
OPENERS = (
    "In the meantime",
    "For now",
    "Still",
    "By most accounts",
    "Even so",
    "In recent weeks",
    "Behind closed doors",
    "On paper",
)
MODALS = ("will", "may", "could", "might", "should", "would rather")
VERBS_BASE = ("approve", "reconsider", "revise", "fund", "challenge", "review", "expand", "delay")
EVENTS = (
    "the end of the year",
    "the next election",
    "the summer recess",
    "the budget is finalized",
    "voters weigh in",
    "the courts rule",
    "the next fiscal year begins",
)
QUOTES = (
    "We simply cannot afford to wait any longer",
    "This is not the end of the conversation",
    "The numbers don’t add up, and everybody in that room knows it",
    "People deserve a straight answer",
    "It’s a reasonable compromise, even if nobody got everything they wanted",
    "We’ve been here before, and it didn’t end well",
    "I have never seen anything like it in thirty years",
)
ROLES = (
    "a spokeswoman for the agency",
    "who has lived in the area for decades",
    "the committee’s chairman",
    "a retired schoolteacher",
    "an analyst at a local think tank",
    "a member of the opposition",
)
FIRST_NAMES = (
    "Margaret",
    "James",
    "Elena",
    "Robert",
    "Priya",
    "Thomas",
    "Hannah",
    "Daniel",
    "Grace",
    "Michael",
    "Sofia",
    "William",
    "Aisha",
    "Peter",
    "Laura",
    "Samuel",
    "Irene",
    "Victor",
)
LAST_NAMES = (
    "Ellis",
    "Whitaker",
    "Moreno",
    "Chen",
    "O’Brien",
    "Kowalski",
    "Hart",
    "Nguyen",
    "Patel",
    "Lindqvist",
    "Brennan",
    "Okafor",
    "Schmidt",
    "Delgado",
    "Fitzgerald",
    "Novak",
)
HANDLES = (
    "SteveM",
    "realist42",
    "Old Timer",
    "Jane from Ohio",
    "anon",
    "Publius",
    "K. Marsh",
    "Mountain Man",
    "dsl",
    "TheOtherBill",
    "Rural Voter",
    "Fran",
    "NotImpressed",
    "C. Ortiz",
    "Uncle Bob",
    "mm",
    "Sarah_T",
    "Long-time reader",
)
TOPICS = (
    "Rural Broadband",
    "Zoning Reform",
    "School Funding",
    "the Pension Crisis",
    "Public Transit",
    "Water Rights",
    "the Stadium Deal",
    "Short-Term Rentals",
    "Farm Subsidies",
    "Hospital Mergers",
    "Local Journalism",
    "Property Taxes",
    "the Housing Shortage",
    "Energy Prices",
    "Trade Policy",
    "Foreign Aid",
    "NATO Spending",
    "Drug Prices",
    "the Minimum Wage",
    "Border Security",
)
HEADLINE_SUBJECTS = (
    "Lawmakers",
    "Council Members",
    "Governors",
    "Regulators",
    "Voters",
    "Farmers",
    "Senators",
    "School Trustees",
    "Mayors",
    "Economists",
)
HEADLINE_VERBS = ("Reject", "Delay", "Back", "Question", "Revive", "Weigh", "Rethink", "Defend")
VALUES = ("Trust", "Fairness", "Priorities", "Competence", "Nerve", "Arithmetic", "Memory")
SECTIONS = ("Politics", "Foreign Policy", "Economy", "Culture", "Local", "Opinion", "Science")
COMMENT_SENTENCES = (
    "I completely disagree with the premise of this piece.",
    "Great article, thanks for writing it.",
    "The author ignores the obvious question of who pays for all this.",
    "This is exactly what happened in my town ten years ago.",
    "Spot on.",
    "Nobody seems to remember that we tried this before.",
    "I’m not convinced the numbers quoted here are right.",
    "Follow the money and the whole thing makes sense.",
    "My neighbors have been saying the same thing for years.",
    "That’s a fair point, but it cuts both ways.",
    "The real problem is that nobody is accountable for the outcome.",
    "Well said, though I would go further.",
    "Has anyone actually read the report?",
    "We’ll see how this looks in a year.",
    "Local papers used to cover this kind of story properly.",
    "Same old story — promises before the vote, excuses after.",
    "I used to work in that department, and this matches what I saw.",
    "Where was this reporting five years ago?",
    "Thank you for covering this; nobody else did.",
    "The comments here are better than the article.",
    "I’d like to see the actual contract before I judge.",
    "Both parties signed off on this, so spare me the outrage.",
    "Taxpayers will be left holding the bag again.",
    "It’s not perfect, but it’s a start.",
    "My property taxes went up twelve percent last year alone.",
    "Anyone who rides the bus every day knows how bad it has gotten.",
    "The headline oversells what the report actually says.",
    "Interesting piece, though the last paragraph lost me.",
    "So who exactly is going to enforce any of this?",
    "This is what happens when nobody shows up to the public meetings.",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    """Lower-case the first letter, unless the first word is an acronym."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def commenter_name(rng: random.Random) -> str:
    return rng.choice(HANDLES) if rng.random() < 0.6 else person_name(rng)


def sentence(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS_PAST)} {rng.choice(OBJECTS)}."
    if kind == 1:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS_PAST)} {rng.choice(OBJECTS)} "
            f"{rng.choice(TAILS)}."
        )
    if kind == 2:
        return (
            f"{rng.choice(OPENERS)}, {_low(rng.choice(SUBJECTS))} {rng.choice(MODALS)} "
            f"{rng.choice(VERBS_BASE)} {rng.choice(OBJECTS)} before {rng.choice(EVENTS)}."
        )
    if kind == 3:
        return f"“{rng.choice(QUOTES)},” said {person_name(rng)}, {rng.choice(ROLES)}."
    if kind == 4:
        return (
            f"The measure would cost about ${rng.randint(2, 90)} million over "
            f"{rng.randint(2, 10)} years, according to {_low(rng.choice(SUBJECTS))}."
        )
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(MODALS)} {rng.choice(VERBS_BASE)} "
        f"{rng.choice(OBJECTS)}, but {_low(rng.choice(SUBJECTS))} {rng.choice(VERBS_PAST)} "
        f"the idea {rng.choice(TAILS)}."
    )


def paragraph(rng: random.Random, min_words: int = 40, max_words: int = 120) -> str:
    """Sentences until the paragraph has between `min_words` and `max_words` words."""
    target = rng.randint(min_words, max_words)
    sentences: list[str] = []
    words = 0
    while words < target:
        s = sentence(rng)
        if s in sentences:
            continue
        if words >= min_words and words + len(s.split()) > max_words:
            break
        sentences.append(s)
        words += len(s.split())
    return " ".join(sentences)


def headline(rng: random.Random) -> str:
    kind = rng.randrange(5)
    topic = rng.choice(TOPICS)
    if kind == 0:
        return (
            f"{rng.choice(HEADLINE_SUBJECTS)} {rng.choice(HEADLINE_VERBS)} Plan on "
            f"{topic.removeprefix('the ')}"
        )
    if kind == 1:
        return f"Why We Need to Talk About {topic}"
    if kind == 2:
        return f"The Case Against {topic}"
    if kind == 3:
        return f"What {rng.choice(HEADLINE_SUBJECTS)} Get Wrong About {topic}"
    return f"{_cap(topic)}: A Question of {rng.choice(VALUES)}"


def comment_paragraphs(rng: random.Random, reply_to: str | None = None) -> tuple[str, ...]:
    paragraphs = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        count = rng.randint(1, 4)
        paragraphs.append(" ".join(rng.sample(COMMENT_SENTENCES, count)))
    if reply_to:
        paragraphs[0] = f"@{reply_to} {paragraphs[0]}"
    return tuple(paragraphs)


def tags_for(rng: random.Random, title: str) -> tuple[str, ...]:
    pool = [t.removeprefix("the ") for t in TOPICS if t.removeprefix("the ") in title]
    pool += rng.sample([t.removeprefix("the ") for t in TOPICS], rng.randint(1, 3))
    return tuple(dict.fromkeys(_cap(t) for t in pool))
