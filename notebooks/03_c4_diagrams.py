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
# # 3 · C4 diagrams as code
#
# One **model** of the system, many **views** of it: the [C4 model](https://c4model.com) zooms from
# the system in its world (context) to its deployable parts (containers), to the parts of one
# container (components), and shows how a use case flows through them (dynamic) and where
# everything runs (deployment).
#
# You will:
#
# 1. load the Shopfront workspace (built in Python with archkit's fluent API, in
#    `workspace.py` of the design folder) and look at its views, inline;
# 2. check it the way Structurizr does (errors and warnings with stable codes);
# 3. build a small model yourself and check it with a check cell;
# 4. export views to SVG/PNG, Structurizr DSL, C4-PlantUML and Mermaid;
# 5. read a real Structurizr DSL workspace (Big Bank plc) and render it.

# %%
import archkit.check
from archkit.c4 import (load_workspace, new_workspace, parse_dsl, read_dsl, to_mermaid,
                        to_plantuml, write_dsl)
from archkit.design import design_folder
from archkit.examples import corpus_file

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
OUT = DESIGN.notebook_out("c4")
ws, _ = load_workspace(DESIGN.workspace)
ws

# %% [markdown]
# ## System context
#
# Who uses Shopfront, and which systems it depends on. The payment provider and the e-mail
# system are *external* (grey).

# %%
ws.view("Context")

# %% [markdown]
# ## Containers
#
# The deployable parts. ADR 0003 chose a **modular monolith**, so there is one deployable app
# (its modules are components) beside the web front end, the database and the broker;
# `archkit check` flags a container view that disagrees with that decision. Arrows drawn
# **dotted** are *implied*: nobody wrote `app -> database`, but modules inside the app talk to
# the database, so the container view shows the app → database arrow too.
# Shapes come from tags: `Database` is a cylinder, `Message Broker` a pipe.

# %%
ws.view("Containers")

# %% [markdown]
# ## The app's modules (components)

# %%
ws.view("AppComponents")

# %% [markdown]
# ## The order pipeline (dynamic view)
#
# Numbered steps over the broker: order placed → inventory reserved → payment processed →
# fulfilment.

# %%
ws.view("OrderPipeline")

# %% [markdown]
# ## Where it runs (deployment view)

# %%
ws.view("LiveDeployment")

# %% [markdown]
# ## Check the model
#
# Errors (`C41xx`) make a model wrong: duplicate names in a parent, a relationship between a
# parent and its own child, duplicate relationships, an element a view's kind does not allow.
# Warnings (`C42xx`) make it weak: no description, no technology, disconnected, in no view.

# %%
ws.validate()

# %% [markdown]
# ## Exercise: a model of your own
#
# Build a container view of a small system with the fluent API. The check cell below says what is
# right and what is still missing: three or more containers, one of them a database, every
# container with a description and a technology, an external system it depends on, and no
# validation errors. Change the cell until it says *All correct*.

# %%
mine = new_workspace("Shopfront notifications")
### BEGIN SOLUTION
shopper = mine.person("Shopper", "Buys things from a merchant's shop.")
shop = mine.system("Shopfront", "Sells things for merchants.")
api = shop.container("API", "Takes orders.", "Python and FastAPI")
db = shop.container("Database", "Keeps orders.", "PostgreSQL", tags="Database")
notify = shop.container("Notification Service", "Tells shoppers what happened.", "Python")
sms = mine.system("SMS Gateway", "Sends text messages.", external=True)
shopper.uses(api, "Places orders using", "HTTPS")
api.uses(db, "Reads and writes orders in", "SQL")
api.uses(notify, "Asks to notify the shopper", "AMQP")
notify.uses(sms, "Sends texts using", "HTTPS")
mine.containers(shop, "Containers").includes("*").layout("lr")
### END SOLUTION

archkit.check.c4_container_view(mine)

# %%
mine.build().view("Containers")

# %% [markdown]
# ## Export
#
# Every file is named by its view key, and the same model always gives byte-identical files,
# so they diff cleanly in git. Exporters report what their target cannot express.

# %%
saved = ws.view("Containers").render().save(OUT, ["svg", "png"])
print(*saved, sep="\n")
mermaid = to_mermaid(ws)
print(mermaid.files["OrderPipeline.mmd"])

# %%
plantuml = to_plantuml(ws)
print(plantuml.files["Context.puml"])
plantuml.findings

# %% [markdown]
# ## Big Bank plc, from Structurizr DSL
#
# The Structurizr team's example workspace, read from its DSL file: three people, four software
# systems, five containers, six components, 26 relationships and seven views. Anything the
# reader skips (themes, `!script`, ...) comes back as a finding instead of a crash.
# The file comes from the corpora beside the archkit repository; on a machine without them
# (Binder, say) the Shopfront workspace, written out as DSL and read back, stands in.

# %%
bank_file = corpus_file("c4/big-bank-plc.dsl")  # None without the corpora
bank, findings = read_dsl(bank_file) if bank_file else parse_dsl(write_dsl(ws))
print(bank.name, bank.counts())
findings

# %%
display(*bank.views)

# %% [markdown]
# Written back as DSL, it reads back to the same model and views:

# %%
dsl = write_dsl(bank)
print(dsl[:1200])
again, _ = parse_dsl(dsl)
again.to_dict() == bank.to_dict()
