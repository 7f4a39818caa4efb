"""Demo data for a laptop: Thanh Hóa producers, OCOP products, photos and one account per role.

The data lives in plain JSON files next to this module (producers.json, products.json,
accounts.json, and for traceability origins.json with growing areas and packing houses and
batches.json with lots and their timelines); loader.py and origins.py turn them into rows and
images.py draws the placeholder photos. The files' dates are moved to the day the demo is
first loaded (data.DemoCalendar). `flask --app shop seed-demo` calls load_demo() and commits.
"""

from seeds.loader import REFERENCE_DATE, accounts_table, demo_accounts, load_demo

__all__ = ["REFERENCE_DATE", "accounts_table", "demo_accounts", "load_demo"]
