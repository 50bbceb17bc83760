"""Prices an order with the company's private `acme-billing` package (from a private index)."""
from acme_billing import price_order


def lambda_handler(event, context):
    return {"total": price_order(event["items"], currency=event.get("currency", "EUR"))}
