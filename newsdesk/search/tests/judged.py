"""The judged query set: 20 queries a reader might type about the demo content, each with the
story that must come first (by its slug). Used by ``test_judged.py`` and ``benchmarks/search.py``."""

SEED = "biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia"

JUDGED = [
    ("ATACMS", SEED),
    ("Storm Shadow", SEED),
    ("Starmer Washington", SEED),
    ("Biden long-range missiles", SEED),
    ("Ardent Bank profit warning", "ardent-bank-shares-fall-65-after-profit-warning"),
    ("Manchester by-election", "by-election-in-manchester-seen-as-test-for-independents"),
    (
        "Norway border crossings",
        "norway-signs-landmark-deal-on-border-crossings-after-years-of-dispute",
    ),
    ("Morocco earthquake", "thousands-displaced-in-morocco-as-an-earthquake-spreads"),
    ("Tbilisi cabinet reshuffle", "life-after-a-cabinet-reshuffle-tbilisi-counts-the-cost"),
    ("Lumen Labs router", "lumen-labs-unveils-a-home-router-amid-slowing-sales"),
    ("Lumen Labs fined data privacy", "lumen-labs-fined-over-data-privacy-failings"),
    ("Nimbus AI Dublin", "nimbus-ai-to-open-research-centre-in-dublin"),
    ("Quillsoft San Francisco", "quillsoft-to-open-research-centre-in-san-francisco"),
    ("ancient footprints Svalbard", "scientists-discover-ancient-footprints-in-svalbard"),
    ("Liberal Democrats polls", "polls-suggest-the-liberal-democrats-gaining-ground-in-key-seats"),
    ("Ghana protests", "the-united-nations-warns-of-worsening-crisis-after-mass-protests-in-ghana"),
    ("Beacon Mobile Dublin", "beacon-mobile-to-open-research-centre-in-dublin"),
    ("honeybees Antarctica", "researchers-track-honeybee-colonies-across-antarctica"),
    (
        "Morocco fishing rights",
        "morocco-signs-landmark-deal-on-fishing-rights-after-years-of-dispute",
    ),
    ("Morocco recalls ambassador", "morocco-recalls-ambassador-in-row-over-port-access"),
]
