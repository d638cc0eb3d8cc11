# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # archkit — start here
#
# **archkit** is a kit for designing backend systems in Jupyter. A design session (or a workshop)
# walks through the notebooks below and leaves behind real artefacts a team commits next to its code:
#
# * **C4 diagrams** — one model, many views, rendered with Graphviz (SVG/PNG), plus Structurizr DSL, PlantUML and Mermaid;
# * a **validated database schema** with its **migrations** (up/down, proven on real engines, with a zero-downtime plan);
# * **Architecture Decision Records** (MADR 4 or adr-tools), carrying the weighted comparison behind each decision.
#
# Everything works offline. Claude (through the `anthropic` SDK) can suggest options when `ANTHROPIC_API_KEY` is set; without it you get the built-in catalogue, and the notebooks say so.

# %% [markdown]
# ## The workflow
#
# ```
# requirements ──► brainstorm ──► decisions ──┐
#       ├──► schema ──► migrations ───────────┼──► design pack (folder + static index.html)
#       └──► C4 model ──► views ──────────────┤
#                               ADRs ─────────┘
# ```
#
# | step | notebook | what you learn |
# |---|---|---|
# | 1 | [01_brainstorming.ipynb](01_brainstorming.ipynb) | requirements and a capacity estimate; options scored against weighted criteria, sensitivity, recording the decision |
# | 2 | [02_schema_design.ipynb](02_schema_design.ipynb) | DDL → catalog → findings; apply on a real engine; ER diagram; transpile between dialects |
# | 2b | [02b_migrations.ipynb](02b_migrations.ipynb) | diff v1 → v2, up/down scripts, zero-downtime safety and the expand/contract plan |
# | 3 | [03_c4_diagrams.ipynb](03_c4_diagrams.ipynb) | one C4 model, context / container / component / dynamic views; Structurizr DSL in and out |
# | 4 | [04_adr_export.ipynb](04_adr_export.ipynb) | decisions as MADR or adr-tools records; supersede, index, graph, lint |
#
# Every notebook uses the same worked example: **Shopfront**, the order platform of a multi-tenant e-commerce SaaS.

# %% [markdown]
# ## The design folder
#
# Every notebook works on one **design folder**: requirements, decisions, schema versions, the C4 workspace and the ADRs. The cell below names it, and every notebook starts the same way. `archkit lab DIR` (or `make lab DESIGN=DIR`) hands your own folder to the notebooks through `ARCHKIT_DESIGN`; `archkit new DIR` starts one. Without it, the notebooks work on a copy of the worked example in `out/design/` — the example in `examples/order_platform/` itself is never changed. Its requirements are data (`requirements.yaml`); the later notebooks add its decisions, schema, C4 workspace and ADRs.

# %%
import archkit
from archkit.brainstorm import load_requirements
from archkit.design import design_folder

DESIGN = design_folder()  # $ARCHKIT_DESIGN, else a working copy of the worked example
print("archkit", archkit.__version__, "— design folder:", DESIGN.root)
requirements = load_requirements(DESIGN.requirements)
requirements

# %% [markdown]
# ## Running a workshop
#
# 1. Before the day: `make demo` once (it installs everything and writes the worked example's design pack to `out/pack/`), then `make workshop` for the student copies and `make lab` (or `make lab DESIGN=DIR` for a team's own design folder, made with `archkit new DIR`).
# 2. Students open this notebook, then work through 01 → 04 in order; each stage takes 20–30 minutes.
# 3. Each stage has exercises with a check cell (`archkit.check.<exercise>(...)`) that says what is right and what is wrong.
# 4. At the end, `archkit check DIR` says whether the artefacts agree with each other, and `archkit pack DIR --out DIR-pack` gathers the design folder, as the session left it, into one folder whose `index.html` opens with a one-page summary (the last cell below does the same).
#
# From a shell, the same operations are available as `archkit ...` commands (`archkit --help`).

# %%
import tempfile

from archkit.pack import build_pack

pack = build_pack(DESIGN.root, tempfile.mkdtemp(prefix="archkit-pack-"))
print("the design pack holds:", *sorted(pack.files), sep="\n  ")
