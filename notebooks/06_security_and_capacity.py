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
# # 6 · Security and capacity review
#
# The last two reviews of a design check it against its non-functional requirements:
# **security** (STRIDE: spoofing, tampering, repudiation, information disclosure, denial of
# service, elevation of privilege) and **capacity** (enough instances, partitions and
# connections at peak, with one instance down). Neither needs the system drawn a second time:
# both come from the same C4 workspace, requirements, schema and decisions.
#
# You will:
#
# 1. read the design's C4 model as a data-flow diagram with its trust boundaries;
# 2. look at the threats the rules find (one per cause, each with a stable id), sorted;
# 3. triage them with a widget — the triage lives in `security/threats.yaml` and lasts;
# 4. turn an accepted risk into an ADR draft, and export to pytm and Threagile;
# 5. size the containers from the requirements (Little's law, Erlang C, N+1) and compare with
#    the deployment view; see latency against instances;
# 6. fix a partner integration until the check cell passes.
#
# The design is the worked example, Shopfront (a working copy), or your own folder when the
# notebooks were opened with `archkit lab DIR`.

# %%
import shutil

import archkit.check
from archkit.c4 import new_workspace
from archkit.capacity import latency_chart, mmc, plan_capacity
from archkit.design import design_folder
from archkit.security import accepted_to_adr, analyse, dfd_diagram, to_pytm, to_threagile
from archkit.widgets.threat_triage import TriageController, triage_widget

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
OUT = DESIGN.notebook_out("security")
report = analyse(DESIGN.root)
report.model.to_dict()["boundaries"]

# %% [markdown]
# ## The data-flow diagram
#
# Containers become **processes** (ellipses) or **data stores** (cylinders, from the
# `Database` / `Message Broker` tags or the technology); people and external systems are
# **external entities** (boxes). Each dashed red cluster is a trust zone: the internet, the
# user's device (Shopfront's React app runs in the browser, so its API is public), and the
# system inside its cloud region. Bold arrows cross a boundary; red ones do so without TLS. Node colours show
# the worst *open* threat on them.

# %%
dfd_diagram(report)

# %% [markdown]
# ## Threats, one per cause
#
# Twenty rules (TM101–TM120), each with why it matters and the fix. Data assets come from the
# schema: `users.email` is PII, `payments.provider_ref` payment data, and they are placed on
# the containers that read or write those tables. The table shows the triage already recorded
# in the design: mitigated by a control, or accepted with a reason and a review date.

# %%
report

# %%
print(f"{len(report.threats)} threats stand for {report.raw_hits} raw hits "
      "(element pairs and flows): de-duplicated by cause")
report.by_rule()

# %% [markdown]
# STRIDE per element: which categories apply to each kind of element (Microsoft's table), and
# which rules raised something there.

# %%
[r for r in report.stride() if r["raised"]][:6]

# %% [markdown]
# ## Triage that lasts
#
# Sort the table, pick a threat, set its status and say why, then **Save triage**. The widget
# writes `security/threats.yaml` in the design folder and re-runs the analysis, so the table
# shows what `archkit threats` will say. An accepted risk needs a reason and a review date;
# after that date it counts as open again.

# %%
w = triage_widget(DESIGN.root)
w

# %% [markdown]
# The same from code, on a scratch copy of the design so this cell changes nothing of yours:
# accept the first open threat for a quarter, then see the table sorted by status.

# %%
scratch = OUT / "scratch"
shutil.rmtree(scratch, ignore_errors=True)
shutil.copytree(DESIGN.root, scratch)
c = TriageController(scratch)
first_open = next((t for t in c.threats if t.status == "open"), None)
if first_open is not None:
    print(c.triage(first_open.id, "accepted", reason="reviewed in the design session",
                   review="2027-03-31"))
[(t.id, t.severity, t.status) for t in c.sort("status")[:4]]

# %% [markdown]
# An accepted risk becomes an ADR draft (MADR), so the decision to live with it is on record
# (written into the scratch copy's ADR folder here):

# %%
accepted = next((t for t in analyse(scratch).threats if t.status == "accepted"), None)
if accepted is not None:
    print(accepted_to_adr(scratch, accepted).read_text()[:600])

# %% [markdown]
# To carry on in other tools: a pytm model (run it with `python tm.py`; it resolves pytm's own
# threat library offline) and a Threagile model.

# %%
OUT.mkdir(parents=True, exist_ok=True)
(OUT / "pytm_model.py").write_text(to_pytm(report))
(OUT / "threagile.yaml").write_text(to_threagile(report))
print(to_pytm(report)[:400])

# %% [markdown]
# ## Capacity plan
#
# For each container on the request path, the peak rate comes from the requirements (1,500
# RPS; a container reached only by writes gets one request in ten). With a per-request service
# time (defaults from a small catalogue by technology, overridden in `capacity.yaml`), Little's
# law gives the busy servers and the M/M/c (Erlang C) model the fewest servers that keep
# utilisation under 70 % and p95 within the container's share of the 200 ms target. Then one
# more instance, so a failed one does not hurt (N+1). Event consumers are sized from the event
# rate (one event per order); the broker gets partitions, the database a pool size and its
# storage growth. Every line shows its formula and working.

# %%
plan = plan_capacity(DESIGN.root)
plan

# %% [markdown]
# The plan is checked against the deployment view's instance counts: a CP101 finding where they
# disagree (none for Shopfront). Latency against instances — rings mark the plan, dots
# the deployment:

# %%
latency_chart(plan)

# %% [markdown]
# The queueing model can be checked by simulation (`archkit capacity DIR --simulate`, with the
# optional `ciw` package): the queue where a wait is most likely is simulated at the servers the
# plan chose, for a few hundred thousand requests, and its mean wait lands within a few percent
# of Erlang C. Here is what Erlang C says for that queue:

# %%
busiest = plan.busiest()
if busiest is not None:
    q = mmc(busiest.rate, busiest.service_ms / 1000, busiest.servers)
    print(f"{busiest.name}: {q.servers} servers at utilisation {q.utilisation:.2f}; "
          f"{q.p_wait:.0%} of requests wait, on average {q.mean_wait_s * 1000:.2f} ms; "
          f"p95 response {q.p95_response_s * 1000:.0f} ms")

# %% [markdown]
# ## Exercise: a partner integration
#
# A warehouse partner must confirm shipments. The first draft had
# `warehouse.uses(db, "Writes shipment status to", "JDBC")`: a partner writing straight into
# the database over a plain connection — a data store reachable from outside its boundary
# (TM104) and a flow across a trust boundary without TLS (TM101). Rewrite the partner's link
# so the check cell passes.

# %%
mine = new_workspace("Shopfront warehouse link")
shop = mine.system("Shopfront", "Sells things for merchants.")
api = shop.container("API", "Takes orders and shipment confirmations.", "Python and FastAPI")
db = shop.container("Database", "Keeps orders.", "PostgreSQL", tags="Database")
warehouse = mine.system("Warehouse System", "Ships parcels.", external=True)
api.uses(db, "Reads and writes orders in", "SQL/TLS")
### BEGIN SOLUTION
warehouse.uses(api, "Confirms shipments using", "JSON/HTTPS")
### END SOLUTION

archkit.check.secure_partner_flows(mine)
