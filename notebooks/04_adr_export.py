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
# # 4 · Architecture Decision Records
#
# A design session ends in decisions. Teams keep them as **Architecture Decision Records**
# (ADRs): one short Markdown file per decision, numbered, next to the code. Two dialects are
# common, and archkit reads and writes both exactly:
#
# | dialect | looks like | used by |
# |---|---|---|
# | **MADR 4** | YAML front matter, *Considered Options*, `Chosen option: "X", because …`, `* Good, because …` | the MADR project, log4brains |
# | **adr-tools** (Nygard) | `# 3. Title`, `Date:`, `## Status`, `Supercedes [1. Title](0001-title.md)` | `adr new`, `adr link` |
#
# In this notebook you record Shopfront's four decisions from the brainstorm, supersede one,
# export the folder, look at its index and graph, and then import and lint adr-tools' own ADRs.

# %%
from pathlib import Path

import archkit.check
from archkit.adr import Record
from archkit.adr.convert import convert
from archkit.adr.index import AdrIndex, write_index
from archkit.adr.lint import lint
from archkit.adr.store import AdrStore
from archkit.adr.workshop import import_folder, out_dir
from archkit.brainstorm.load import load_decisions
from archkit.brainstorm.to_adr import record_decisions
from archkit.design import design_folder

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
folder = DESIGN.adr_dir   # the design's own docs/decisions: what `archkit pack` ships
folder

# %% [markdown]
# ## 1. Record the worked example's decisions
#
# Notebook 01 compared options against weighted criteria for four questions (API style,
# datastore, architecture style, message broker). Each comparison becomes a MADR record: the
# criteria become *Decision Drivers*, the options *Considered Options* with their Good / Neutral /
# Bad arguments, the winner the *Chosen option* — and the matrix itself is kept machine-readable
# in the record. Rerunning this cell changes nothing.

# %%
decisions = load_decisions(DESIGN.decisions)
record_decisions(decisions, folder)

# %% [markdown]
# The store reads the folder back. Here is the datastore decision as it sits on
# disk (MADR), and the scores it keeps for later:

# %%
store = AdrStore(folder)
store.get(2)

# %%
store.get(2).matrix["winner"], store.get(2).matrix["criteria"]

# %% [markdown]
# ## 2. Accept, then supersede
#
# The team accepts the first three. A month later, running Kafka themselves turns out to be
# more work than eight engineers can carry, so a **new** record supersedes ADR 4. The store
# writes both files together — the new record says *Supersedes*, ADR 4 says *superseded by* —
# or, if anything fails, neither. It never overwrites a file someone edited since it was read.

# %%
for number in (1, 2, 3):
    store.accept(number)

managed = Record(
    number=None, title="",
    context="Self-run Kafka needs broker upgrades, disk and partition care, and an on-call "
            "rota; the team is eight engineers.",
    decision="Keep Kafka's model (ordered partitions per order id, at-least-once delivery) "
             "but buy it as a managed service (Amazon MSK, eu-central-1).",
)
### BEGIN SOLUTION
newer = store.ensure("Message broker for the order pipeline: managed Kafka",
                     status="accepted", supersedes=4, record=managed)
### END SOLUTION
store.get(4).status, newer.number, [(link.kind, link.target) for link in newer.links]

# %% [markdown]
# ## 3. Index and graph
#
# The index lists number, title, status, date and what superseded what; the graph draws the
# links (the DOT text is the same shape `adr generate graph` prints).

# %%
index = AdrIndex(store.all())
index

# %%
index.graph

# %%
# index.md, decisions.dot and decisions.svg next to the records
[p.name for p in write_index(folder, store.all())]

# %%
lint(store.all())

# %% [markdown]
# ## 4. Check cell
#
# Your turn: the check below passes when ADR 4 is superseded by a newer record, the link is
# written in both files, and the folder lints without errors.

# %%
archkit.check.adr_supersede(folder, old=4)

# %% [markdown]
# ## 5. The same records for adr-tools
#
# Converting keeps every field both dialects can hold (options and drivers become extra
# sections, links go under *Status*), so converting back gives the same records.

# %%
nygard = out_dir("04_adr_export") / "adr-tools"
written = convert(folder, "nygard", nygard)
print((nygard / store.get(5).file).read_text())

# %% [markdown]
# ## 6. Import adr-tools' own decisions and lint them
#
# adr-tools keeps its design decisions as ADRs. The workspace ships a copy under
# `shared/corpora`; on your own machine point `import_folder` at your project's `doc/adr`
# instead (the cell says so when the folder is not there).

# %%
report = import_folder(Path("../../shared/corpora/adr/adr-tools"))
report

# %%
report.index.graph

# %% [markdown]
# ## From a shell
#
# The same operations run in CI (`adr lint` exits 1 on errors):
#
# ```
# archkit adr import doc/adr --json
# archkit adr lint doc/adr
# archkit adr convert doc/adr --to madr --out docs/decisions
# archkit adr index docs/decisions
# archkit adr new "Use Redis for carts" --dir . --supersedes 3
# ```
