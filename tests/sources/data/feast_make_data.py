"""Write ``data/orders.parquet`` for the feature repository (run by Feast's own Python, which has pandas)."""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

folder = Path(sys.argv[1]) / "data"
folder.mkdir(exist_ok=True)
start = datetime(2026, 1, 1, tzinfo=UTC)
rows = [
    {
        "customer_id": c,
        "event_timestamp": start + timedelta(hours=h),
        "orders_7d": c + h,
        "orders_1d": h % 5,
        "spend_7d": float(c * h),
        "chargebacks": h % 2,
        "clicks": h,
        "spend": float(h),
    }
    for c in range(3)
    for h in range(48)
]
pd.DataFrame(rows).to_parquet(folder / "orders.parquet")
