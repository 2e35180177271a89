"""The twelve NeurIPS 2023 papers of the Health & Bio review, as full paper records."""

from reviews.demo.records import META, paper, review

DECISION = "NeurIPS 2023 Poster"
BENCHMARKS = "NeurIPS 2023 Datasets and Benchmarks Poster"

PAPERS = [
    paper(
        "De novo Drug Design using Reinforcement Learning with Multiple GPT Agents",
        authors=[
            ("Xiuyuan Hu", "Tsinghua University"),
            ("Guoqing Liu", "Microsoft Research AI4Science"),
            ("Yang Zhao", "Tsinghua University"),
            ("Hao Zhang", "Tsinghua University"),
        ],
        link="https://openreview.net/pdf?id=1B6YKnHYBb",
        topics=["drug discovery", "reinforcement learning"],
        summary=(
            "Hu et al. (Microsoft Research, Tsinghua University) let several GPT agents with "
            "memory propose molecules under reinforcement learning, pushing for diverse "
            "candidates.\nThey demonstrate the approach on inhibitors for SARS-CoV-2."
        ),
        tldr="Several GPT agents, trained together with reinforcement learning, propose "
        "molecules that score well and differ from each other.",
        contribution="A multi-agent RL set-up for molecule generation in which each agent "
        "remembers what the others found and is rewarded for exploring elsewhere.",
        findings=[
            "More agents cover more of chemical space at equal budget.",
            "Candidate inhibitors for SARS-CoV-2 targets score well in docking.",
        ],
        abstract="Generative language models can write molecules as strings, but a single model "
        "tuned with reinforcement learning tends to collapse onto a few good candidates. This "
        "work trains several GPT agents side by side, each with a memory of earlier molecules "
        "and a penalty for repeating them, and evaluates the designs on standard benchmarks and "
        "on SARS-CoV-2 targets.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer A",
                "The diversity term is simple and the ablations show it "
                "pays off; a wet-lab check of a few candidates would make the case stronger.",
                rating=6,
                confidence=3,
                field="summary",
            ),
        ],
    ),
    paper(
        "Implicit Transfer Operator Learning: Multiple Time-Resolution Models for "
        "Molecular Dynamics",
        authors=[
            ("Mathias Schreiner", "Chalmers University of Technology"),
            ("Ole Winther", "Technical University of Denmark"),
            ("Simon Olsson", "Chalmers University of Technology"),
        ],
        link="https://openreview.net/forum?id=1kZx7JiuA2",
        topics=["molecular dynamics", "generative models"],
        summary=(
            "Schreiner et al. (Chalmers University, DTU) tackle the gap between the tiny time "
            "steps and the long horizons of molecular dynamics.\n\n"
            "A transfer operator learned at several time resolutions yields stochastic dynamics "
            "that stay consistent across scales."
        ),
        tldr="A generative model learns to jump ahead in molecular dynamics by large, chosen "
        "time steps instead of femtosecond ones.",
        contribution="Implicit transfer operators conditioned on the time lag, trained on "
        "simulation data at several resolutions at once.",
        findings=[
            "Long-time statistics match reference simulations on small proteins.",
            "One model serves several time lags without retraining.",
        ],
        abstract="Molecular dynamics integrates tiny steps, so slow processes need very long "
        "simulations. The authors learn a stochastic surrogate of the transfer operator, "
        "conditioned on the lag, that samples future states directly and remains consistent "
        "when lags are chained.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer B",
                "A clear idea with convincing experiments on small "
                "systems; scaling to larger proteins is left open.",
                rating=7,
                confidence=4,
                field="strengths",
            ),
        ],
    ),
    paper(
        "xTrimoGene: An Efficient and Scalable Representation Learner for Single-Cell RNA-Seq Data",
        authors=[
            ("Jing Gong", "BioMap"),
            ("Minsheng Hao", "Tsinghua University"),
            ("Xuegong Zhang", "Tsinghua University"),
            ("Le Song", "BioMap"),
        ],
        link="https://www.biorxiv.org/content/10.1101/2023.03.24.534055v1",
        topics=["single-cell genomics", "self-supervised learning"],
        summary=(
            "Gong et al. (BioMap, Tsinghua University) scale self-supervised encoder-decoder "
            "pretraining to single-cell RNA-seq.\n\n"
            "The model does well on cell type annotation, perturbation response and drug "
            "combination prediction."
        ),
        tldr="An asymmetric encoder-decoder that skips the zeros of sparse expression data "
        "makes pretraining on single cells far cheaper.",
        contribution="A pretraining architecture for scRNA-seq that encodes only expressed genes "
        "and reconstructs the full profile with a light decoder.",
        findings=[
            "Compute drops by an order of magnitude against dense transformers.",
            "Downstream annotation and perturbation tasks improve.",
        ],
        abstract="Single-cell expression matrices are mostly zeros, which wastes the compute "
        "of standard transformers. xTrimoGene encodes the non-zero entries only and decodes "
        "the whole profile, letting masked pretraining scale to tens of millions of cells.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer C",
                "Efficiency gains are substantial and well measured.",
                rating=6,
                confidence=3,
                field="strengths",
            ),
        ],
    ),
    paper(
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution",
        authors=[
            ("Eric Nguyen", "Stanford University"),
            ("Michael Poli", "Stanford University"),
            ("Stefano Ermon", "Stanford University"),
            ("Chris Ré", "Stanford University"),
        ],
        link="https://arxiv.org/abs/2306.15794",
        topics=["genomics", "long-range models"],
        summary=(
            "Nguyen et al. (Stanford) model DNA one nucleotide at a time with context windows of "
            "up to a million base pairs, pretrained on next-nucleotide prediction.\n"
            "Larger models classify species better."
        ),
        tldr="Hyena operators give a DNA language model a context of up to a million single "
        "nucleotides.",
        contribution="A genomic foundation model without tokenization, built on implicit "
        "long convolutions instead of attention.",
        findings=[
            "Longer context improves perplexity on the human genome.",
            "Strong results on regulatory element benchmarks with few parameters.",
        ],
        abstract="Attention limits DNA models to a few thousand tokens, usually k-mers, losing "
        "single-nucleotide detail. HyenaDNA replaces attention with Hyena operators, trains on "
        "the human reference genome at single-nucleotide resolution and reaches contexts of a "
        "million bases.",
        decision="NeurIPS 2023 Spotlight",
        links=[("code", "https://github.com/HazyResearch/hyena-dna", "")],
        videos=[
            (
                "https://neurips.cc/virtual/2023/papers.html?filter=titles&search=HyenaDNA",
                "Poster and talk recording on the NeurIPS 2023 virtual site",
            ),
        ],
        reviews=[
            review(
                "Demo reviewer D",
                "Impressive context length; the species classification "
                "task is a neat demonstration of why it matters.",
                rating=7,
                confidence=4,
                field="strengths",
            ),
            review(
                "Demo reviewer E",
                "Comparisons with tokenized models at equal compute would help.",
                rating=6,
                confidence=3,
                field="weaknesses",
            ),
            review(
                "Demo area chair",
                "Reviewers agree the model is a useful step for genomic "
                "language modelling; accept.",
                kind=META,
            ),
        ],
    ),
    paper(
        "Protein Design with Guided Discrete Diffusion",
        authors=[
            ("Nate Gruver", "New York University"),
            ("Samuel Stanton", "Prescient Design, Genentech"),
            ("Kyunghyun Cho", "Prescient Design, Genentech"),
            ("Andrew Gordon Wilson", "New York University"),
        ],
        link="https://arxiv.org/abs/2305.20009",
        topics=["protein design", "diffusion models"],
        summary=(
            "Gruver et al. (Prescient Design) guide a discrete diffusion model with several "
            "objectives at once to design antibodies.\n\n"
            "Across rounds of lab experiments, binding and expression of the candidates improve."
        ),
        tldr="Gradient guidance in the latent space of a discrete diffusion model steers "
        "protein sequences towards several properties.",
        contribution="LaMBO-2, a guided discrete diffusion method for multi-objective sequence "
        "design, validated in the lab.",
        findings=[
            "Guided samples beat unguided ones on expression and affinity.",
            "The method works with small labelled sets.",
        ],
        abstract="Designing proteins means trading off several measured properties. The authors "
        "guide a discrete diffusion model with value functions learned on its hidden states and "
        "test the designs on antibodies in repeated wet-lab rounds.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer F",
                "Rare and welcome experimental validation.",
                rating=7,
                confidence=4,
                field="strengths",
            ),
        ],
    ),
    paper(
        "Knowledge-based in silico models and dataset for the comparative evaluation of "
        "mammography AI for a range of breast characteristics, lesion conspicuities and doses",
        authors=[
            ("Elena Sizikova", "US Food and Drug Administration"),
            ("Aldo Badano", "US Food and Drug Administration"),
        ],
        link="https://arxiv.org/abs/2310.18494",
        topics=["medical imaging", "synthetic data"],
        summary=(
            "Sizikova et al. (US FDA) generate synthetic mammograms to evaluate AI models "
            "without the biases and small sizes of real-world test sets.\n"
            "They then use the data to compare mammography models."
        ),
        tldr="Physics-based simulated mammograms let regulators test AI across breast "
        "densities, lesion types and doses.",
        contribution="M-SYNTH, a simulated mammography dataset with controlled factors, and an "
        "evaluation of detection models on it.",
        findings=[
            "Detection performance falls with breast density and lower dose.",
            "Simulated data reveal trends that small real test sets hide.",
        ],
        abstract="Real mammography test sets are small and unevenly sampled. The authors simulate "
        "breasts, lesions and imaging physics to produce images where each factor is controlled, "
        "and use them to compare detection models.",
        decision=BENCHMARKS,
        reviews=[
            review(
                "Demo reviewer G",
                "Valuable for evaluation; realism against clinical images deserves more study.",
                rating=6,
                confidence=3,
                field="summary",
            ),
        ],
    ),
    paper(
        "FABind: Fast and Accurate Protein-Ligand Binding",
        authors=[
            ("Qizhi Pei", "Renmin University of China"),
            ("Kaiyuan Gao", "Huazhong University of Science and Technology"),
            ("Lijun Wu", "Microsoft Research AI4Science"),
            ("Rui Yan", "Renmin University of China"),
        ],
        link="https://arxiv.org/abs/2310.06763",
        topics=["drug discovery", "molecular docking"],
        summary=(
            "Pei et al. (Microsoft Research, Renmin University) predict protein-ligand binding "
            "without being told the pocket.\n"
            "Pocket prediction and docking share one model, with state-of-the-art results on "
            "PDBbind."
        ),
        tldr="One end-to-end model finds the pocket and docks the ligand, quickly.",
        contribution="A joint pocket prediction and docking architecture trained end to end.",
        findings=[
            "Better accuracy than earlier deep docking on PDBbind.",
            "Inference is much faster than sampling-based methods.",
        ],
        abstract="Blind docking must locate the binding site before placing the ligand. FABind "
        "predicts the pocket and the pose in one network, sharing features between the two "
        "steps, and is evaluated on PDBbind.",
        decision=DECISION,
        links=[("code", "https://github.com/QizhiPei/FABind", "")],
        reviews=[
            review(
                "Demo reviewer H",
                "Fast and accurate; more analysis of failure cases would help.",
                rating=6,
                confidence=4,
                field="summary",
            ),
        ],
    ),
    paper(
        "SG×P : A Sorghum Genotype × Phenotype Prediction Dataset and Benchmark",
        authors=[
            ("Zeyu Zhang", "George Washington University"),
            ("Robert Pless", "George Washington University"),
            ("Abby Stylianou", "Saint Louis University"),
        ],
        link="https://github.com/SLUVisLab/sorghum_snp_prediction",
        topics=["plant science", "datasets"],
        summary=(
            "Linking genotype to phenotype matters for plants as much as for people.\n\n"
            "Zhang et al. (George Washington University) release more than 500,000 sorghum "
            "images to study that link."
        ),
        tldr="A large image dataset of sorghum plants paired with genetic markers.",
        contribution="A benchmark for predicting genetic variants from plant images.",
        findings=[
            "Image models recover some markers well above chance.",
            "Many markers remain hard, leaving room for methods.",
        ],
        abstract="Field phenotyping produces many images of crops whose genomes are known. This "
        "dataset pairs sorghum images with genotype data and defines prediction tasks between "
        "the two.",
        decision=BENCHMARKS,
        reviews=[
            review(
                "Demo reviewer I",
                "A useful resource outside the usual medical domains.",
                rating=7,
                confidence=3,
                field="strengths",
            ),
        ],
    ),
    paper(
        "AbDiffuser: Full-Atom Generation of In-Vitro Functioning Antibodies",
        authors=[
            ("Karolis Martinkus", "Prescient Design, Genentech"),
            ("Kyunghyun Cho", "Prescient Design, Genentech"),
            ("Andreas Loukas", "Prescient Design, Genentech"),
        ],
        link="https://arxiv.org/abs/2308.05027",
        topics=["protein design", "diffusion models"],
        summary=(
            "Martinkus et al. (Prescient Design) build physics and domain knowledge into "
            "protein diffusion to generate full-atom antibodies.\n\n"
            "Some generated candidates turned out to be new HER2 binders."
        ),
        tldr="An equivariant diffusion model generates antibody sequence and full-atom "
        "structure together.",
        contribution="A family-aware representation of antibodies and a diffusion model over "
        "it, with lab-tested designs.",
        findings=[
            "Generated antibodies express and bind in vitro.",
            "Side-chain generation improves over backbone-only models.",
        ],
        abstract="Antibodies share a common framework with variable loops. AbDiffuser uses this "
        "structure in a full-atom diffusion model and tests generated HER2 binders in the lab.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer J",
                "Strong validation; the alignment-based representation "
                "limits use beyond antibodies.",
                rating=7,
                confidence=4,
                field="summary",
            ),
        ],
    ),
    paper(
        "ProteinGym: Large-Scale Benchmarks for Protein Fitness Prediction and Design",
        authors=[
            ("Pascal Notin", "University of Oxford"),
            ("Yarin Gal", "University of Oxford"),
            ("Debora S. Marks", "Harvard Medical School"),
        ],
        link="https://www.biorxiv.org/content/10.1101/2023.12.07.570727v1",
        topics=["protein design", "benchmarks"],
        summary=(
            "Notin et al. (Oxford, Harvard) assemble ProteinGym: deep mutational scans and "
            "clinical data sets, baselines and metrics for predicting protein fitness."
        ),
        tldr="A large benchmark of mutational effects with dozens of baselines.",
        contribution="Standardised substitution and indel benchmarks with clinical annotations.",
        findings=[
            "No single model leads on every assay.",
            "Alignment-based and language models complement each other.",
        ],
        abstract="Comparisons of protein fitness predictors have used small, inconsistent "
        "sets. ProteinGym gathers hundreds of deep mutational scans and clinical variants, with "
        "common metrics and many baselines.",
        decision=BENCHMARKS,
        links=[("project", "https://proteingym.org", "")],
        reviews=[
            review(
                "Demo reviewer K",
                "Likely to become the reference benchmark.",
                rating=8,
                confidence=4,
                field="strengths",
            ),
        ],
    ),
    paper(
        "RaLEs: a Benchmark for Radiology Language Evaluations",
        authors=[
            ("Juan Manuel Zambrano Chaves", "Stanford University"),
            ("Curtis Langlotz", "Stanford University"),
            ("Akshay Chaudhari", "Stanford University"),
        ],
        link="https://openreview.net/pdf/f1783ddf0a1c8990511ede94c4ebd18226d4280c.pdf",
        topics=["radiology", "benchmarks"],
        summary=(
            "Chaves et al. (Stanford) benchmark language models on radiology text.\n\n"
            "Gains in general-domain models do not always carry over to radiology, which leaves "
            "room for future work."
        ),
        tldr="A benchmark of understanding and generation tasks on radiology reports.",
        contribution="Curated radiology language tasks and an evaluation of many models.",
        findings=[
            "Domain-specific pretraining helps on several tasks.",
            "General gains do not transfer evenly to radiology.",
        ],
        abstract="Radiology reports have their own vocabulary and structure. RaLEs collects "
        "tasks on such reports and compares general and biomedical language models.",
        decision=BENCHMARKS,
        reviews=[
            review(
                "Demo reviewer L",
                "A needed benchmark; licensing of some sets limits access.",
                rating=6,
                confidence=3,
                field="weaknesses",
            ),
        ],
    ),
    paper(
        "Disentangled Wasserstein Autoencoder for T-Cell Receptor Engineering",
        authors=[
            ("Tianxiao Li", "Yale University"),
            ("Mark Gerstein", "Yale University"),
            ("Martin Renqiang Min", "NEC Laboratories America"),
        ],
        link="https://openreview.net/pdf/f1783ddf0a1c8990511ede94c4ebd18226d4280c.pdf",
        topics=["immunology", "generative models"],
        summary=(
            "Li et al. (Yale) engineer T-cell receptors by editing the functional site while "
            "keeping the overall structure, using a disentangled Wasserstein autoencoder."
        ),
        tldr="Separating function from structure in a latent space lets a model edit T-cell "
        "receptors for new targets.",
        contribution="A disentangled autoencoder whose latent parts control binding and "
        "structure separately.",
        findings=[
            "Edited receptors keep structural plausibility.",
            "Binding to the intended peptide is predicted to improve.",
        ],
        abstract="Engineering a T-cell receptor means changing what it binds without breaking "
        "it. The authors split the latent space of a Wasserstein autoencoder into functional "
        "and structural parts and edit only the first.",
        decision=DECISION,
        reviews=[
            review(
                "Demo reviewer M",
                "Elegant disentanglement; validation is computational only.",
                rating=6,
                confidence=3,
                field="summary",
            ),
        ],
    ),
]
