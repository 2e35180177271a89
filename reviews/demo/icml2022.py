"""An ICML 2022 review written for the demo: three papers on molecules and proteins."""

from reviews.demo.records import paper, review

CONFERENCE = {
    "short_name": "ICML",
    "year": 2022,
    "slug": "icml-2022",
    "full_name": "International Conference on Machine Learning",
    "location": "Baltimore, USA",
    "website": "https://icml.cc/Conferences/2022",
    "start_date": "2022-07-17",
    "end_date": "2022-07-23",
}

DECISION = "ICML 2022 Poster"

PAPERS = [
    paper(
        "Equivariant Diffusion for Molecule Generation in 3D",
        authors=[
            ("Emiel Hoogeboom", "University of Amsterdam"),
            ("Victor Garcia Satorras", "University of Amsterdam"),
            ("Clément Vignac", "EPFL"),
            ("Max Welling", "University of Amsterdam"),
        ],
        link="https://arxiv.org/abs/2203.17003",
        topics=["molecule generation", "diffusion models"],
        summary="Hoogeboom et al. denoise atom positions and types together with an "
        "E(3)-equivariant network, producing valid 3D molecules.",
        tldr="A diffusion model over 3D molecules that respects rotations and translations.",
        contribution="EDM, an equivariant diffusion model for continuous coordinates and "
        "categorical atom types.",
        findings=[
            "Higher molecule stability than earlier normalising flows.",
            "Conditioning on properties steers generation.",
        ],
        abstract="Molecules live in 3D, and their likelihood should not depend on orientation. "
        "EDM diffuses coordinates and atom types jointly with an equivariant denoiser and "
        "is evaluated on QM9 and GEOM.",
        decision=DECISION,
        links=[("code", "https://github.com/ehoogeboom/e3_diffusion_for_molecules", "")],
        reviews=[
            review(
                "Demo reviewer P",
                "Clean formulation and strong results.",
                rating=7,
                confidence=4,
                field="strengths",
            ),
        ],
        slides=3,
    ),
    paper(
        "Generating 3D Molecules for Target Protein Binding",
        authors=[
            ("Meng Liu", "Texas A&M University"),
            ("Youzhi Luo", "Texas A&M University"),
            ("Shuiwang Ji", "Texas A&M University"),
        ],
        link="https://arxiv.org/abs/2204.09410",
        topics=["molecule generation", "drug discovery"],
        summary="Liu et al. (Texas A&M) place atoms one at a time inside a protein pocket, "
        "with a flow model that respects the pocket's geometry.",
        tldr="An autoregressive flow builds ligands atom by atom inside a binding site.",
        contribution="GraphBP, which generates 3D molecules conditioned on the protein pocket.",
        findings=[
            "Generated molecules bind better in docking than baselines.",
            "Local coordinate frames keep generation equivariant.",
        ],
        abstract="Structure-based design needs molecules that fit a given pocket. GraphBP "
        "places atoms sequentially with a flow model in local frames and scores the results "
        "with docking.",
        decision=DECISION,
        links=[("code", "https://github.com/divelab/GraphBP", "")],
        reviews=[
            review(
                "Demo reviewer Q",
                "Convincing pocket conditioning; docking is a weak proxy.",
                rating=6,
                confidence=3,
                field="weaknesses",
            ),
        ],
        slides=3,
    ),
    paper(
        "Learning inverse folding from millions of predicted structures",
        authors=[
            ("Chloe Hsu", "University of California, Berkeley"),
            ("Robert Verkuil", "Meta AI"),
            ("Alexander Rives", "Meta AI"),
        ],
        link="https://www.biorxiv.org/content/10.1101/2022.04.10.487779v1",
        topics=["protein design", "self-supervised learning"],
        summary="Hsu et al. (Berkeley, Meta AI) train inverse folding on millions of "
        "AlphaFold-predicted structures and recover sequences far better.",
        tldr="Predicted structures are enough training data for inverse folding at scale.",
        contribution="ESM-IF1, trained on twelve million predicted structures.",
        findings=[
            "Sequence recovery improves markedly over training on solved structures only.",
            "The model scores mutational effects without supervision.",
        ],
        abstract="Inverse folding maps a backbone to sequences, but solved structures are "
        "scarce. Training on millions of predicted structures lifts sequence recovery and "
        "transfers to tasks such as mutational effect prediction.",
        decision=DECISION,
        links=[("code", "https://github.com/facebookresearch/esm", "")],
        reviews=[
            review(
                "Demo reviewer R",
                "Simple idea executed at impressive scale.",
                rating=8,
                confidence=4,
                field="strengths",
            ),
        ],
        slides=3,
    ),
]

POST = {
    "slug": "icml-2022-molecules-and-proteins",
    "title": "ICML 2022: Molecules and Proteins in 3D",
    "subtitle": "Generative models for chemistry and structural biology at ICML 2022",
    "author_name": "Conference Reviews demo",
    "published_at": "2022-08-01T09:00:00+00:00",
    "tags": ["conference review", "molecule generation", "protein design"],
    "intro": (
        "ICML 2022 in Baltimore showed generative models moving from graphs to 3D geometry.\n\n"
        "Three papers stood out for molecules and proteins."
    ),
    "conclusion": "Equivariance and scale, more than new architectures, drove the year.",
    "disclaimer": "A short demo selection, not a survey of the conference.",
}

SECTIONS = [{"title": "Selected papers", "papers": PAPERS}]
