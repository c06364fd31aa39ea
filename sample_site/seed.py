"""The seed article: a real opinion piece with its 11 reader comments, kept as data.

Reproduced from a print view of The American Conservative (``- The American
Conservative - https://www.theamericanconservative.com -``). Text is exactly the
print view's, smart quotes, dashes and non-breaking spaces included, except that
the footnote markers (" [1]" ... " [8]") are gone: the pages render those spots as
links (`SEED_LINKS`) instead. Times are local US Eastern times, as printed.
"""

from __future__ import annotations

from datetime import datetime

from sample_site.model import Article, Comment, Link

SEED_SITE_NAME = "The American Conservative"
SEED_SITE_TAGLINE = "Ideas over Ideology, Principles over Party"
SEED_TIMEZONE = "America/New_York"
SEED_POST_ID = 104061
SEED_FIRST_COMMENT_ID = 1000001

_PARAGRAPHS = (
    (
        "President Donald Trump and North Korean Chairman Kim Jong-un can truly make history "
        "during their talks in Vietnam come late February. But transforming an adversarial "
        "relationship built on tough talk, nuclear threats, and the danger of a Second Korean War "
        "that could kill millions won’t be easy.\xa0It can only be done with ingenuity, "
        "outside-the-box thinking, and that X factor that only Trump brings to the table."
    ),
    (
        "And that’s just for starters, as history tells us no negotiation with North Korea is "
        "easy. Success can only be assured if both sides make concessions that are realistic, "
        "verifiable, and not perceived as a loss to the one granting them."
    ),
    (
        "Thankfully, we have a president who doesn’t care about past tensions or how other "
        "administrations have handled North Korea policy—and that is a big advantage.\xa0Trump’s "
        "mix of foreign policy realism, naivete, and obsession with dominating the news cycle "
        "create what can only be described as the weirdest but best chance for real peace on the "
        "Korean Peninsula in a generation."
    ),
    (
        "Honestly, the best course of action would be Trump taking the old foreign policy playbook "
        "and lighting it on fire. His first summit with Kim essentially did just that, baffling "
        "the foreign policy elites here in Washington in what\xa0at the time I thought was a Hail "
        "Mary\xa0that could end in spectacular failure.\xa0I honestly wanted him to walk out\xa0if "
        "he could not get major concessions upfront."
    ),
    (
        "I must admit that I was wrong. Trump’s meeting with Kim in Singapore, though it didn’t "
        "instantly denuclearize the north, did create the conditions to build trust and reduce "
        "tensions that could have spiraled into an armed conflict the likes of which hadn’t been "
        "seen since World War II. No matter what you think of Trump, that is clear progress. And "
        "while things have not gone as smoothly as I would have hoped since Singapore, this second "
        "summit presents a golden opportunity to get diplomacy back on track, creating a solid "
        "foundation for the future."
    ),
    (
        "So what should those all-important deliverables be this time around? What should history "
        "say about this event when we look back decades from now? The most likely\xa0outcome of a "
        "second summit would be North Korea dismantling its Yongbyon nuclear facility—something "
        "Kim has already put on the table—in exchange for some form of sanctions relief. While "
        "Washington might balk\xa0at weakening its maximum pressure campaign before full "
        "denuclearization occurs, an action-for-action approach seems like the most realistic path "
        "forward.\xa0Each side in such a scenario gets a clear win, and both can claim back home "
        "that they were able to get a core concession from the other. It also allows America and "
        "North Korea to test each other’s willingness to follow through with important promises "
        "made, which could build up to even harder compromises down the road."
    ),
    (
        "I, however, want to see something special happen. I want history to look back at this "
        "summit with pride, the moment that one of the last places the Cold War is still waged "
        "finally comes to an end. If Trump and Kim agree to end the Korean War once and for all, "
        "it will truly make the historical record. While a peace treaty is most likely impossible "
        "for America to commit to, as it would need Senate approval, a peace declaration "
        "acknowledging that there is no longer a state of war on the Korean Peninsula would be a "
        "game changer. Such a declaration would show a clear intent to transform the relationship "
        "and create a solid foundation for the much harder work towards denuclearization that is "
        "yet to come."
    ),
    (
        "There will, of course, be those who are rooting for President Trump to fail. Never "
        "Trumpers, most on the left, and countless others won’t want to give the president credit "
        "if things go well, fearing that any wind in his political sails could help reelect him in "
        "2020. I would ask them to consider the alternative, and just how close we came to\xa0war "
        "in 2017\xa0and\xa0early 2018. What happens if these talks fall apart and both sides go "
        "back to threats of nuclear annihilation, missile tests, and military exercises? I don’t "
        "see any room for failure. Simply stated, we have no more room left to run. A transformed "
        "relationship with North Korea and real peace on the Korean Peninsula\xa0is\xa0the only "
        "option."
    ),
    (
        "We must, as everyone loves to say, put all options on the table—towards a compromise all "
        "sides can live with."
    ),
    (
        "Harry J. Kazianis\xa0is director of Korea Studies at the Center for the National "
        "Interest. He also serves as executive editor for their publishing arm,\xa0The National "
        "Interest. The views express in this op-ed are his own. Follow him on "
        "Twitter\xa0@Grecianformula"
    ),
)

_COMMENTS = (
    (
        "SteveM",
        datetime(2019, 2, 11, 13, 26),
        (
            (
                "It’s apparent that Kim wants to take North Korea in a new direction of "
                "normalization with South Korea and launch more robust economic growth. His "
                "meetings with President Moon have been cordial and productive. (Without the U.S. "
                "sticking its fat, greasy thumb in the soup.)"
            ),
            (
                "China and Russia are much better positioned to facilitate the normalization "
                "process if required because unlike the U.S., they have some diplomatic legitimacy "
                "as well as being direct neighbors with Korea."
            ),
            (
                "The U.S. as the incompetent Global Cop Gorilla that it is, can only wreck the "
                "initiative. When Kim meets with Trump he should only nod respectively then go "
                "about the business of negotiating with South Korea directly. Both Koreas should "
                "avoid U.S. intervention in the peace process as much as possible."
            ),
            "Let Trump claim any success as his own even though it will be without merit.",
            (
                "Hopefully, a genuine rapprochement between the Korea’s will evolve in spite of "
                "the U.S. and its ham-fisted “diplomacy”."
            ),
        ),
    ),
    (
        "Kurt Gayle",
        datetime(2019, 2, 11, 13, 27),
        (
            (
                "“There will, of course, be those who are rooting for President Trump to fail. "
                "Never Trumpers, most on the left, and countless others won’t want to give the "
                "president credit if things go well, fearing that any wind in his political sails "
                "could help reelect him in 2020.”"
            ),
            "People like TAC’s Daniel Larison.",
        ),
    ),
    (
        "sglover",
        datetime(2019, 2, 11, 13, 37),
        (
            (
                "The eternal optimism of the saps in the Trump cult is always so cute and "
                "precious. It’s like watching puppies chasing after reflected sunlight on a dewy "
                "April morning…."
            ),
        ),
    ),
    (
        "Ninth and Hennepin",
        datetime(2019, 2, 11, 14, 38),
        (
            (
                "Our best option is to maintain the status quo and contain North Korea for decades "
                "until it inevitably collapses."
            ),
            (
                "“Taking the old foreign policy playbook and lighting it on fire” is more likely "
                "to start a Second Korean War than to lead to a diplomatic breakthrough."
            ),
            "I’d say the same no matter who is in the White House.",
        ),
    ),
    (
        "One Guy",
        datetime(2019, 2, 11, 14, 44),
        (
            (
                "Trump bankrupted a casino. American banks won’t lend him money. He couldn’t run a "
                "foundation, and is prevented by law from trying again. Good people won’t work for "
                "him, and several have written books about how incompetent he is."
            ),
            "He sounds perfect. What could go wrong?",
        ),
    ),
    (
        "Paul McDonnell",
        datetime(2019, 2, 11, 15, 39),
        (
            (
                "Trump is only interested in looking successful – it will be a white wash with no "
                "substance. NK will have 100+ ICBMs in a few years and US will be in another "
                "tenuous deterrence situation."
            ),
        ),
    ),
    (
        "Kouros",
        datetime(2019, 2, 11, 16, 57),
        (
            (
                "Scant hopes. As Russians said it before (and Iranians and EU can attest to; "
                "Qaddafi is dead), Americans cannot be trusted to be honest business partners."
            ),
        ),
    ),
    (
        "Emil Bogdan",
        datetime(2019, 2, 11, 20, 19),
        (
            (
                "Spot on. The two prima donnas speak the same language, understand each other’s "
                "personality cults and preeminent need for realistic survival, thus, they can get "
                "somewhere. When Trump first floated Israeli-Palestinian peace back in the "
                "primaries, I had the same thought: “Jesus save us, this freaking narcissistic "
                "idiot is probably better positioned than anyone else to pull it off, holy crap!”"
            ),
        ),
    ),
    (
        "EliteCommInc.",
        datetime(2019, 2, 11, 21, 44),
        (
            (
                "Well, possibly. I think we are a long way from a serious deal — maybe not. But "
                "this process was always going to be long."
            ),
            (
                "I do think its utter nonsense that had this president not been elected we would "
                "be at war with North Korea."
            ),
            "More baiting for a Nobel Peace prize — good grief, one hopes not.",
            "Long over due.",
        ),
    ),
    (
        "Tony",
        datetime(2019, 2, 12, 7, 15),
        (
            "I hope Trump is able to bring peace to the Korean Peninsula.",
            (
                "But he is making a disastrous mistake in abandoning the INF treaty and in "
                "refusing to extend the START treaty on long-range nuclear missiles for another 5 "
                "years."
            ),
        ),
    ),
    (
        "Kurt Gayle",
        datetime(2019, 2, 13, 12, 23),
        (
            (
                "sglover says (Feb 11, 1:37 pm): “The eternal optimism of the saps in the Trump "
                "cult is always so cute and precious.”"
            ),
            (
                "“Trump has no more of a cult than his last two predecessors did, and less of one "
                "among professional conservatives than the deified Reagan.”"
            ),
            (
                "From “A New Conservative Agenda,” Daniel McCarthy (former editor of TAC), First "
                "Things, March 2019"
            ),
        ),
    ),
)

SEED_LINKS = (
    Link(2, "foreign policy realism", "https://nationalinterest.org/feature/trump-realist-24242"),
    Link(3, "Hail Mary", "https://www.nbcnews.com/think/opinion/trump-kim-summit-hail-mary"),
    Link(3, "walk out", "https://www.foxnews.com/opinion/trump-should-walk-out-of-kim-summit"),
    Link(7, "2017", "https://www.theatlantic.com/international/archive/2017/12/north-korea-war/"),
    Link(7, "early 2018", "https://www.vox.com/world/2018/1/2/north-korea-war-risk"),
    Link(9, "Harry J. Kazianis", "https://nationalinterest.org/profile/harry-j-kazianis"),
    Link(9, "The National Interest", "https://nationalinterest.org/"),
    Link(9, "@Grecianformula", "https://twitter.com/Grecianformula"),
)


def seed_article() -> Article:
    """The seed article with its 11 comments (ids 1000001..1000011, none a reply)."""
    comments = tuple(
        Comment(
            comment_id=SEED_FIRST_COMMENT_ID + i,
            author=author,
            published=published,
            paragraphs=paragraphs,
        )
        for i, (author, published, paragraphs) in enumerate(_COMMENTS)
    )
    return Article(
        post_id=SEED_POST_ID,
        slug="trump-has-a-chance-for-a-history-making-deal-with-north-korea",
        title="Trump Has a Chance for a History-Making Deal With North Korea",
        authors=("Harry J. Kazianis",),
        published=datetime(2019, 2, 11, 0, 1),
        modified=None,
        section="Foreign Policy",
        tags=("North Korea", "Donald Trump", "Kim Jong-un"),
        paragraphs=_PARAGRAPHS,
        comments=comments,
        links=SEED_LINKS,
    )
