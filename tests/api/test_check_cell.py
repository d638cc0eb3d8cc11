"""The workshop check cell of notebook 05: right answers pass, weak ones say what is missing."""

from __future__ import annotations

import archkit.check

GOOD = """
paths:
  /v1/orders/{id}/payments:
    get:
      operationId: listOrderPayments
      summary: The payment attempts of an order
      x-archkit-table: payments
      x-archkit-container: orderModule
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}
      responses:
        "200":
          description: The payments
          headers: {RateLimit: {$ref: "#/components/headers/RateLimit"}}
          content:
            application/json:
              schema: {type: array, maxItems: 50, items: {$ref: "#/components/schemas/Payment"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/TooManyRequests"}
components:
  schemas:
    Payment:
      type: object
      x-archkit-table: payments
      required: [id, amount, status]
      properties:
        id: {type: integer, format: int64}
        amount: {type: number, minimum: 0, maximum: 1000000}
        status: {type: string, maxLength: 20}
"""


def test_a_complete_answer_is_all_correct():
    assert archkit.check.order_payments_operation(GOOD).passed


def test_a_field_without_column_and_an_unbounded_array_are_named():
    weak = GOOD.replace("maxItems: 50, ", "").replace(
        "status: {type: string, maxLength: 20}", "state: {type: string, maxLength: 20}")
    result = archkit.check.order_payments_operation(weak)
    text = result._repr_markdown_()
    assert not result.passed
    assert "API161" in text and "API302" in text


def test_not_yaml_or_wrong_path_says_how():
    assert not archkit.check.order_payments_operation("paths: [").passed
    result = archkit.check.order_payments_operation("paths: {/v1/other: {get: {}}}")
    assert "put the operation under paths" in result._repr_markdown_()
