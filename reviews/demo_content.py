"""Demo content shaped like the NeurIPS 2023 Health & Bio review.

Facts (titles, first authors, affiliations, links, slide URLs) come from the public post;
the summaries are written for this project.
"""

IMG = "http://schwabpatrick.com/img/neurips2023/{}.png"


def slides(prefix, count=4):
    return [IMG.format(f"{prefix}{n}") for n in range(1, count + 1)]


CONFERENCE = {
    "short_name": "NeurIPS",
    "year": 2023,
    "slug": "neurips-2023",
    "full_name": "Conference on Neural Information Processing Systems",
    "location": "New Orleans, USA",
    "website": "https://neurips.cc/Conferences/2023",
}

POST = {
    "slug": "neurips-2023-health-bio-conference-review",
    "title": "NeurIPS 2023 Health & Bio Conference Review",
    "subtitle": "What happened in health and bio at NeurIPS 2023?",
    "author_name": "Patrick Schwab",
    "cover_image_url": "http://schwabpatrick.com/img/neurips23-img.png",
    "social_url": "https://twitter.com/schwabpa/status/1599423696048832512?s=20",
    "reading_time": "5 min",
    "tags": ["conference review"],
    "intro": (
        "NeurIPS 2023 brought more machine learning for biology and health than anyone could "
        "follow in one week.\n\n"
        "This review collects the talks and papers at that intersection that stood out to us, "
        "with slides and links so you can dig further."
    ),
    "conclusion": (
        "Themes that kept coming back:\n"
        "- deep learning meeting causal reasoning\n"
        "- data-driven methods rebuilding each layer of the healthcare stack\n"
        "- a growing, though still modest, share of bio and health work next to vision and language"
    ),
    "disclaimer": (
        "DISCLAIMER: This is a personal selection. It surely misses important work, in particular "
        "from the workshops and competitions, and is meant as a starting point for your own "
        "reading."
    ),
}

KEYNOTES = [
    {
        "title": "Delusion of Scaling and Democratization of Generative Models",
        "speaker": "Björn Ommer",
        "affiliation": "LMU Munich",
        "summary": (
            "Ommer, known for Stable Diffusion, frames vision as understanding without touching "
            "and perception as prediction.\n"
            "He argues that intelligence means learning with limited resources, and that open, "
            "accessible models keep research possible beyond the largest labs."
        ),
        "slides": slides("om"),
    },
    {
        "title": "Systems for Foundation Models, and Foundation Models for Systems",
        "speaker": "Chris Re",
        "affiliation": "Stanford University",
        "summary": (
            "Ré describes the shift foundation models bring, from solving each task in detail to "
            "solving tasks in general.\n"
            "Data cleaning serves as his worked example of where such models, open ones included, "
            "have moved the field forward."
        ),
        "slides": slides("om"),
    },
]

PAPERS = [
    {
        "title": "De novo Drug Design using Reinforcement Learning with Multiple GPT Agents",
        "authors": [("Xinyuan Hu", "Microsoft Research")],
        "link": "https://openreview.net/pdf?id=1B6YKnHYBb",
        "slides": slides("de"),
        "topics": ["drug discovery", "reinforcement learning"],
        "summary": (
            "Hu et al. (Microsoft Research, Tsinghua University) let several GPT agents with "
            "memory propose molecules under reinforcement learning, pushing for diverse "
            "candidates.\nThey demonstrate the approach on inhibitors for SARS-CoV-2."
        ),
    },
    {
        "title": (
            "Implicit Transfer Operator Learning: Multiple Time-Resolution Models for "
            "Molecular Dynamics"
        ),
        "authors": [("M Schreiner", "Chalmers University")],
        "link": "https://openreview.net/forum?id=1kZx7JiuA2",
        "slides": slides("md"),
        "topics": ["molecular dynamics"],
        "summary": (
            "Schreiner et al. (Chalmers University, DTU) tackle the gap between the tiny time "
            "steps and the long horizons of molecular dynamics.\n\n"
            "A transfer operator learned at several time resolutions yields stochastic dynamics "
            "that stay consistent across scales."
        ),
    },
    {
        "title": (
            "xTrimoGene: An Efficient and Scalable Representation Learner for Single-Cell "
            "RNA-Seq Data"
        ),
        "authors": [("J Gong", "BioMap")],
        "link": "https://www.biorxiv.org/content/10.1101/2023.03.24.534055v1",
        "slides": slides("xt"),
        "topics": ["single-cell genomics", "self-supervised learning"],
        "summary": (
            "Gong et al. (BioMap, Tsinghua University) scale self-supervised encoder-decoder "
            "pretraining to single-cell RNA-seq.\n\n"
            "The model does well on cell type annotation, perturbation response and drug "
            "combination prediction."
        ),
    },
    {
        "title": ("HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution"),
        "authors": [("Eric Nguyen", "Stanford University")],
        "link": "https://arxiv.org/abs/2306.15794",
        "slides": slides("hd"),
        "topics": ["genomics", "long-range models"],
        "summary": (
            "Nguyen et al. (Stanford) model DNA one nucleotide at a time with context windows of "
            "up to a million base pairs, pretrained on next-nucleotide prediction.\n"
            "Larger models classify species better."
        ),
    },
    {
        "title": "Protein Design with Guided Discrete Diffusion",
        "authors": [("N Gruver", "Prescient Design")],
        "link": "https://arxiv.org/abs/2305.20009",
        "slides": slides("pd"),
        "topics": ["protein design", "diffusion models"],
        "summary": (
            "Gruver et al. (Prescient Design) guide a discrete diffusion model with several "
            "objectives at once to design antibodies.\n\n"
            "Across rounds of lab experiments, binding and expression of the candidates improve."
        ),
    },
    {
        "title": (
            "Knowledge-based in silico models and dataset for the comparative evaluation of "
            "mammography AI for a range of breast characteristics, lesion conspicuities and doses"
        ),
        "authors": [("Elena Sizikova", "US FDA")],
        "link": "https://arxiv.org/abs/2310.18494",
        "slides": slides("mg"),
        "topics": ["medical imaging", "synthetic data"],
        "summary": (
            "Sizikova et al. (US FDA) generate synthetic mammograms to evaluate AI models "
            "without the biases and small sizes of real-world test sets.\n"
            "They then use the data to compare mammography models."
        ),
    },
    {
        "title": "FABind: Fast and Accurate Protein-Ligand Binding",
        "authors": [("Qizhi Pei", "Renmin University of China")],
        "link": "https://arxiv.org/abs/2310.06763",
        "slides": slides("fa"),
        "topics": ["drug discovery", "molecular docking"],
        "summary": (
            "Pei et al. (Microsoft Research, Renmin University) predict protein-ligand binding "
            "without being told the pocket.\n"
            "Pocket prediction and docking share one model, with state-of-the-art results on "
            "PDBbind."
        ),
    },
    {
        "title": "SG×P : A Sorghum Genotype × Phenotype Prediction Dataset and Benchmark",
        "authors": [("Z Zhang", "George Washington University")],
        "link": "https://github.com/SLUVisLab/sorghum_snp_prediction",
        "slides": slides("ps"),
        "topics": ["plant science", "datasets"],
        "summary": (
            "Linking genotype to phenotype matters for plants as much as for people.\n\n"
            "Zhang et al. (George Washington University) release more than 500,000 sorghum "
            "images to study that link."
        ),
    },
    {
        "title": "AbDiffuser: Full-Atom Generation of In-Vitro Functioning Antibodies",
        "authors": [("K Martinkus", "Prescient Design")],
        "link": "https://arxiv.org/abs/2308.05027",
        "slides": slides("ab"),
        "topics": ["protein design", "diffusion models"],
        "summary": (
            "Martinkus et al. (Prescient Design) build physics and domain knowledge into "
            "protein diffusion to generate full-atom antibodies.\n\n"
            "Some generated candidates turned out to be new HER2 binders."
        ),
    },
    {
        "title": "ProteinGym: Large-Scale Benchmarks for Protein Fitness Prediction and Design",
        "authors": [("P Notin", "University of Oxford")],
        "link": "https://www.biorxiv.org/content/10.1101/2023.12.07.570727v1",
        "slides": slides("pg"),
        "topics": ["protein design", "benchmarks"],
        "summary": (
            "Notin et al. (Oxford, Harvard) assemble ProteinGym: deep mutational scans and "
            "clinical data sets, baselines and metrics for predicting protein fitness."
        ),
    },
    {
        "title": "RaLEs: a Benchmark for Radiology Language Evaluations",
        "authors": [("J Z Chaves", "Stanford University")],
        "link": "https://openreview.net/pdf/f1783ddf0a1c8990511ede94c4ebd18226d4280c.pdf",
        "slides": slides("ra"),
        "topics": ["radiology", "benchmarks"],
        "summary": (
            "Chaves et al. (Stanford) benchmark language models on radiology text.\n\n"
            "Gains in general-domain models do not always carry over to radiology, which leaves "
            "room for future work."
        ),
    },
    {
        "title": "Disentangled Wasserstein Autoencoder for T-Cell Receptor Engineering",
        "authors": [("Tianxiao Li", "Yale University")],
        "link": "https://openreview.net/pdf/f1783ddf0a1c8990511ede94c4ebd18226d4280c.pdf",
        "slides": slides("tc"),
        "topics": ["immunology", "generative models"],
        "summary": (
            "Li et al. (Yale) engineer T-cell receptors by editing the functional site while "
            "keeping the overall structure, using a disentangled Wasserstein autoencoder."
        ),
    },
]
