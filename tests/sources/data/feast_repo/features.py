"""A small real feature repository: what ``mlorg import feast`` is tested on (``feast apply``, ``registry-dump``).

Batch views read ``data/orders.parquet`` (``make_data.py`` writes it); the stream view reads a push
source. One aggregation has no window: it runs over all history (a lifetime aggregate).
"""

from datetime import timedelta

from feast import Entity, FeatureView, Field, FileSource, PushSource
from feast.aggregation import Aggregation
from feast.stream_feature_view import stream_feature_view
from feast.types import Float32, Int64

customer = Entity(name="customer", join_keys=["customer_id"])

orders = FileSource(name="orders", path="data/orders.parquet", timestamp_field="event_timestamp")

customer_orders = FeatureView(
    name="customer_orders",
    entities=[customer],
    ttl=timedelta(days=2),
    schema=[Field(name="orders_7d", dtype=Int64), Field(name="spend_7d", dtype=Float32)],
    source=orders,
    online=True,
    owner="growth-data@example.com",
    tags={"team": "Growth Data"},
    description="Orders and spend per customer, from the daily batch.",
)

customer_recent = FeatureView(
    name="customer_recent",
    entities=[customer],
    ttl=timedelta(hours=6),
    schema=[Field(name="orders_1d", dtype=Int64)],
    source=orders,
    online=True,
    owner="growth-data",
    tags={"represents": "inventory, margin"},
)

customer_risk = FeatureView(
    name="customer_risk",
    entities=[customer],
    ttl=timedelta(days=30),
    schema=[Field(name="chargebacks", dtype=Int64)],
    source=orders,
    online=False,
    owner="risk-data@example.com",
    tags={"team": "Risk Data", "sensitivity": "personal"},
)

clicks_push = PushSource(name="clicks_push", batch_source=orders)


@stream_feature_view(
    entities=[customer],
    ttl=timedelta(hours=1),
    schema=[Field(name="clicks", dtype=Int64), Field(name="spend", dtype=Float32)],
    source=clicks_push,
    aggregations=[
        Aggregation(column="clicks", function="count", time_window=timedelta(hours=1)),
        Aggregation(column="spend", function="sum"),
    ],
    timestamp_field="event_timestamp",
    online=True,
    mode="pandas",
    owner="growth-data@example.com",
    tags={"team": "Growth Data"},
)
def customer_clicks(df):  # type: ignore[no-untyped-def]
    return df
