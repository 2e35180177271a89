"""An ICLR 2024 review written for the demo; it features the Linsley et al. paper.

The review excerpts of "Neural scaling laws for phenotypic drug discovery" paraphrase its
public ICLR 2024 reviews in this project's words (their ratings are not recorded here). Other
excerpts are illustrative demo text.
"""

from reviews.demo.records import META, paper, review

CONFERENCE = {
    "short_name": "ICLR",
    "year": 2024,
    "slug": "iclr-2024",
    "full_name": "International Conference on Learning Representations",
    "location": "Vienna, Austria",
    "website": "https://iclr.cc/Conferences/2024",
    "start_date": "2024-05-07",
    "end_date": "2024-05-11",
}

LINSLEY = paper(
    "Neural scaling laws for phenotypic drug discovery",
    authors=[
        ("Drew Linsley", "Brown University"),
        ("John Griffin", ""),
        ("Jason Parker Brown", ""),
        ("Adam N Roose", ""),
        ("Michael Frank", "Brown University"),
        ("Peter Linsley", ""),
        ("Steven Finkbeiner", "Gladstone Institutes"),
        ("Jeremy Linsley", "Gladstone Institutes"),
    ],
    link="https://arxiv.org/search/?query=Neural+scaling+laws+for+phenotypic+drug+discovery"
    "&searchtype=title",
    topics=[
        "Computational Drug Discovery Methods",
        "Machine Learning in Materials Science",
        "Genetics, Bioinformatics, and Biomedical Research",
    ],
    summary=(
        "Linsley et al. ask whether bigger networks and more data help drug discovery the way "
        "they helped language and vision.\n\n"
        "Trained directly on the tasks, they do not; pretrained on an inverse biological "
        "process task first, they do, steadily. The submission was withdrawn, and its reviews "
        "are worth reading for what a scaling claim needs."
    ),
    tldr="Scaling networks and data pays off for phenotypic drug discovery only after a new "
    "pretraining task, the Inverse Biological Process.",
    contribution="The Inverse Biological Process (IBP) pretraining task, under which networks "
    "scale better on drug discovery benchmarks than with plain supervision.",
    findings=[
        "Networks trained directly on drug discovery tasks stop improving as they grow.",
        "IBP pretraining clearly raises accuracy.",
        "With IBP, accuracy keeps rising with both data and model size.",
    ],
    abstract="Progress in language and vision came largely from scaling models and data. The "
    "authors test whether the same holds for small-molecule drug discovery, studying how model "
    "size, training data and learning procedure affect accuracy on the Phenotypic Chemistry "
    "Arena (Pheno-CA), a set of drug development tasks on image-based high-content screening "
    "data. Networks supervised on these tasks do not keep improving with scale; a precursor "
    "task, the Inverse Biological Process, changes that.",
    decision="ICLR 2024 Conference Withdrawn Submission",
    outcome="withdrawn",
    reviews=[
        review(
            "Reviewer 1",
            "Knowing how much data a drug discovery task needs, read off a "
            "scaling law, would matter a great deal. Scaling results from language models "
            "need not carry over to biology, and this study is a useful first look at "
            "scaling in drug discovery and related fields.",
            field="strengths",
        ),
        review(
            "Reviewer 1",
            "The reasons behind several experimental choices are left unsaid, "
            "which will puzzle readers without a biology background; for instance, only the "
            "IBP-trained model is tested on out-of-distribution samples. The paper also "
            "does not explain why IBP training scales linearly while plain networks do not, "
            "although that is its central result.",
            field="weaknesses",
        ),
        review(
            "Reviewer 2",
            "An early look at an important dataset, with a sensible pretraining task.",
            field="strengths",
        ),
        review(
            "Reviewer 2",
            "Originality is limited: known ideas applied to an existing "
            "dataset, with a weak implementation. The conclusions reach beyond the data: "
            "extrapolating a scaling law needs inputs that vary over several orders of "
            "magnitude, and these vary over less than one. The presentation is hard to follow "
            "in places and some baseline assumptions are questionable.",
            field="weaknesses",
        ),
        review(
            "Reviewer 3",
            "Well motivated and timely; the IBP task is interesting, and "
            "studying neural scaling on image-based high-content screening data is a "
            "promising direction.",
            field="strengths",
        ),
        review(
            "Reviewer 3",
            "Basic baselines are missing, including those that would support "
            "the claim that IBP pretraining is uniquely effective, and the scaling results "
            "are not presented clearly.",
            field="weaknesses",
        ),
    ],
    slides=3,
)

PAPERS = [
    LINSLEY,
    paper(
        "Protein Discovery with Discrete Walk-Jump Sampling",
        authors=[
            ("Nathan C. Frey", "Prescient Design, Genentech"),
            ("Kyunghyun Cho", "Prescient Design, Genentech"),
            ("Andreas Loukas", "Prescient Design, Genentech"),
            ("Saeed Saremi", "Prescient Design, Genentech"),
        ],
        link="https://arxiv.org/abs/2306.12360",
        topics=["protein design", "generative models"],
        summary="Frey et al. (Prescient Design) learn a smoothed energy for antibody sequences, "
        "walk on it with Langevin dynamics and jump back to clean sequences in one denoising "
        "step.",
        tldr="Sampling noisy sequences and denoising once yields diverse, functional antibodies.",
        contribution="Discrete walk-jump sampling, which trains with a single noise level and "
        "samples quickly.",
        findings=[
            "Most tested designs expressed and bound their target.",
            "Training is simpler than for diffusion models.",
        ],
        abstract="Score-based models for discrete sequences are hard to train and slow to "
        "sample. The authors smooth the data with one noise level, sample with Langevin MCMC "
        "in the smoothed space and denoise in one step, testing antibody designs in the lab.",
        decision="ICLR 2024 Oral",
        links=[("code", "https://github.com/prescient-design/walk-jump", "")],
        reviews=[
            review(
                "Demo reviewer N",
                "A simple sampler with strong wet-lab results.",
                rating=8,
                confidence=4,
                field="strengths",
            ),
            review(
                "Demo area chair",
                "Clear method and unusually strong validation; accept as an oral.",
                kind=META,
            ),
        ],
        slides=3,
    ),
    paper(
        "BEND: Benchmarking DNA Language Models on Biologically Meaningful Tasks",
        authors=[
            ("Frederikke Isa Marin", "University of Copenhagen"),
            ("Ole Winther", "University of Copenhagen"),
            ("Wouter Boomsma", "University of Copenhagen"),
        ],
        link="https://arxiv.org/abs/2311.12570",
        topics=["genomics", "benchmarks"],
        summary="Marin et al. (Copenhagen) test DNA language models on tasks a biologist would "
        "recognise, from gene finding to enhancer annotation.",
        tldr="A benchmark of realistic genomic tasks for DNA language models.",
        contribution="Seven tasks on the human genome with a common evaluation of embeddings.",
        findings=[
            "Embeddings capture some local features well.",
            "Long-range dependencies remain hard for every model tested.",
        ],
        abstract="DNA language models are often evaluated on small or artificial tasks. BEND "
        "defines tasks on the human genome with realistic lengths and labels and compares the "
        "embeddings of several models.",
        decision="ICLR 2024 Poster",
        links=[("code", "https://github.com/frederikkemarin/BEND", "")],
        reviews=[
            review(
                "Demo reviewer O",
                "Useful and carefully built benchmark.",
                rating=6,
                confidence=3,
                field="summary",
            ),
        ],
        slides=3,
    ),
]

POST = {
    "slug": "iclr-2024-drug-discovery-and-genomics",
    "title": "ICLR 2024: Drug Discovery and Genomics",
    "subtitle": "Scaling, sampling and benchmarks for biology at ICLR 2024",
    "author_name": "Conference Reviews demo",
    "published_at": "2024-05-20T09:00:00+00:00",
    "tags": ["conference review", "drug discovery", "genomics"],
    "intro": (
        "Vienna hosted ICLR 2024, and biology showed up in the main track more than before.\n\n"
        "We start with a withdrawn submission whose reviews teach as much as many accepted "
        "papers, then two papers on proteins and DNA."
    ),
    "conclusion": (
        "Scaling claims in biology need wide ranges of data and honest baselines; benchmarks "
        "like BEND make those easier to check."
    ),
    "disclaimer": "A short demo selection, not a survey of the conference.",
}

SECTIONS = [{"title": "Selected papers", "papers": PAPERS}]
