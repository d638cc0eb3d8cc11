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
# # 1 · Brainstorming: from requirements to recorded decisions
#
# Before any schema or diagram, an architect explores two or three approaches and makes a clear
# recommendation. This notebook makes that comparison **quantitative, live and recorded**:
#
# 1. read the worked example's **requirements** and a **back-of-envelope capacity estimate** that
#    shows its formulas;
# 2. compare options against **weighted criteria** in a decision matrix: the ranking, a
#    **close-call** flag, and **sensitivity** — for each criterion, the weight at which the winner
#    changes;
# 3. move the weights with **sliders** and watch the ranking follow;
# 4. ask **Claude** for options (offline, the built-in catalogue answers instead, and says so);
# 5. **record** each decision as an Architecture Decision Record (MADR) that carries its matrix.
#
# Two exercises have a check cell: run it and it says what is right and what is not yet.

# %%
import archkit.check
from archkit.brainstorm import (Assumptions, Criterion, evaluate, load_catalogue,
                                load_decisions, load_requirements, record_decisions,
                                sensitivity_chart)
from archkit.design import design_folder
from archkit.llm import suggest_options
from archkit.widgets.decision_matrix import decision_widget

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
example = DESIGN.root
OUT = DESIGN.notebook_out("01_brainstorming")
print("design folder:", DESIGN.root, "\nexports go to", OUT)

# %% [markdown]
# ## 1. Requirements
#
# **Shopfront** is the order platform of a multi-tenant e-commerce SaaS. Its requirements are data
# (`requirements.yaml` in the design folder): entities, relationships, endpoints,
# non-functional targets and constraints.

# %%
requirements = load_requirements(example / "requirements.yaml")
requirements

# %% [markdown]
# Requirements are checked like everything else: unknown entities in
# relationships, impossible targets, latency percentiles out of order… each finding has a code, a
# line and a fix.

# %%
requirements.validate()

# %% [markdown]
# ## 2. A back-of-envelope capacity estimate
#
# How big is this, really? Each line shows its **formula**, the **numbers put in** and the
# **result**, so anyone can check it. What the requirements do not say is an explicit
# *assumption* (index overhead, replicas, the hot window, the cache hit ratio…), printed below the
# table. Little's law (*L = λ × W*) turns throughput and latency into concurrency.

# %%
requirements.capacity()

# %% [markdown]
# Assumptions are parameters, not hidden constants. With three copies of the
# database instead of two:

# %%
requirements.capacity(Assumptions(replicas=3))["database storage"].shown

# %% [markdown]
# ### Exercise 1 — storage per year
#
# From the requirements alone (orders per day and bytes per order), how many **GB** do a year of
# Shopfront's orders take, before indexes and replicas? Work it out by hand (1 GB = 10⁹ bytes),
# put your number below and run the check cell.

# %%
my_answer_gb = 0  # ← your answer, in GB
### BEGIN SOLUTION
my_answer_gb = 400_000 * 2_048 * 365 / 1e9  # orders/day × bytes/order × days
### END SOLUTION

archkit.check.orders_storage_per_year(my_answer_gb)

# %% [markdown]
# ## 3. Decisions as weighted matrices
#
# Each decision has a **question**, its **context**, **criteria** with weights (how much each
# counts; 0 ignores it) and two or more **options**, each scored from 1 (worst) to 5 (best) on every
# criterion, with pros and cons. The weighted total is a weighted mean, so it stays on the 1–5 scale:
#
# $$T_j = \frac{\sum_i w_i \, s_{ji}}{\sum_i w_i}$$
#
# **Sensitivity** moves one weight while the others stay put. Every total shares the denominator,
# so the order is that of straight lines in that weight; where the winner's line meets a
# challenger's is the **flip point** — the weight at which the winner changes. A decision is a
# **close call** when the top two are within 0.25 of each other.
#
# Shopfront's four early decisions are in `examples/order_platform/decisions.yaml`. Anything in
# the file that cannot be understood would be listed here, with its line and a fix:

# %%
decisions = load_decisions(example / "decisions.yaml")
decisions.problems

# %% [markdown]
# ### API style
#
# Storefronts, mobile apps and merchants' own scripts call the platform; catalogue reads are hot
# and cacheable.

# %%
decisions["api-style"]

# %% [markdown]
# ### Datastore
#
# Orders, stock and payments must change together, and tenants must never see each other's rows.

# %%
decisions["datastore"]

# %% [markdown]
# ### Modular monolith or microservices
#
# One team of eight engineers builds and runs everything.

# %%
decisions["architecture-style"]

# %% [markdown]
# ### Message broker
#
# This one is a **close call**, and the sensitivity table says which weights are fragile.
# *Throughput headroom* has weight 0: every option handles 600 events/s, so it does not tell
# them apart — it stays visible without counting.

# %%
broker = decisions["message-broker"]
broker

# %% [markdown]
# Check a flip point by re-ranking just past it: raising *Operational load*
# beyond its flip point hands the win to the managed queue.

# %%
ops = next(s for s in broker.sensitivity() if s.criterion == "Operational load")
flip = ops.upper
print(f"flip at weight {flip.weight:g}: {flip.new_winner} takes over")
print("just below:", evaluate(broker, {"Operational load": flip.weight - 0.01}).ranking)
print("just above:", evaluate(broker, {"Operational load": flip.weight + 0.01}).ranking)

# %% [markdown]
# The same, as a picture: each option's weighted total as the weight of
# *Operational load* moves from 0 to 10. The dashed line is today's weight; the red line is the
# flip point.

# %%
sensitivity_chart(broker, "Operational load")

# %% [markdown]
# ## 4. Live: move the weights
#
# The sliders on the left are the criteria's weights; the scores are in the accordion below. The
# ranking, the bars, the matrix and the sensitivity table follow every move. You can add or
# remove options and criteria, and **record decision** writes (or refreshes) its ADR draft.

# %%
widget = decision_widget(broker, adr_folder=OUT / "decisions")
widget

# %% [markdown]
# The widget is a thin view over a controller, so the same moves work from code
# (and from tests). Push *Operational load* past its flip point, look at the ranking, and put it
# back:

# %%
widget.controller.set_weight("Operational load", 6.5)
print("at 6.5:", widget.controller.ranking)
widget.controller.set_weight("Operational load", 5)
print("at 5:  ", widget.controller.ranking)

# %% [markdown]
# ## 5. Ask Claude for options — or the catalogue
#
# `suggest_options` asks Claude (through the `anthropic` SDK, with tool use and a JSON schema) for
# options, criteria and pros and cons, and validates the answer into a decision. Without
# `ANTHROPIC_API_KEY`, or when anything goes wrong (network, 401, 429, 5xx, timeout, a malformed,
# partial or refused answer), the same call returns the built-in **catalogue**'s answer and says
# why in one line. The key is never printed or saved.
#
# The catalogue covers common backend decisions, each with a source:

# %%
load_catalogue()

# %%
suggestion = suggest_options(
    "Which cache should serve Shopfront's product catalogue pages?",
    context="Catalogue reads are 9 in 10 requests; p95 must stay under 200 ms; "
            "tenants must never see each other's data.",
)
print(suggestion.message)
caching = suggestion.decision
caching

# %% [markdown]
# ### Exercise 2 — a caching decision for Shopfront
#
# The catalogue's answer is generic. Make it Shopfront's: the constraints say a tenant's data
# must never be visible to another tenant, and a shared cache key can leak it. Add a
# **Tenant isolation** criterion with a weight, score every option on it, and run the check cell.
#
# *Hint:* `caching.criteria.append(Criterion("Tenant isolation", 4))`, then set
# `option.scores["Tenant isolation"]` for each option in `caching.options`.

# %%
# your changes to `caching` here
### BEGIN SOLUTION
caching.criteria.append(Criterion("Tenant isolation", 4))
# Redis keys carry the tenant id; a CDN caches by URL, so one missing Vary header leaks a page.
isolation = {"Redis": 4, "Memcached": 3, "CDN": 2}
for option in caching.options:
    option.scores["Tenant isolation"] = isolation[option.name]
### END SOLUTION

archkit.check.caching_decision(caching)

# %% [markdown]
# ## 6. Record the decisions
#
# Each decision becomes a MADR record: criteria → *Decision Drivers*, options → *Considered
# Options* with Good / Neutral / Bad arguments, the winner → *Chosen option* justified by the
# matrix, the matrix and sensitivity as tables under *More Information*, and the matrix itself,
# machine-readable, in a *Decision Matrix* section. Running this again changes nothing; a draft
# someone edited is kept, not overwritten.

# %%
adrs = record_decisions(decisions, OUT / "decisions")
adrs

# %%
print(adrs.paths[-1].read_text(encoding="utf-8"))

# %% [markdown]
# From a shell, the same steps are `archkit brainstorm rank`, `estimate`,
# `catalogue`, `adr` and `suggest`. Next: **[02 · schema design](02_schema_design.ipynb)** turns
# the datastore decision into a validated schema, and **[04 · ADRs](04_adr_export.ipynb)** manages
# the records.
