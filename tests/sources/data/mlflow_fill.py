"""Fill a real MLflow tracking server's model registry with the MLflow client (run by MLflow's own Python).

Usage: ``python mlflow_fill.py TRACKING_URI [EXTRA_MODELS]``. The test of ``mlorg import mlflow``
runs this with the interpreter of the separate environment that ``.ci/run`` installs MLflow into,
so MLflow never becomes a dependency of mlorg itself.
"""

import sys
import warnings

from mlflow import MlflowClient

warnings.filterwarnings("ignore")


def main() -> None:
    uri = sys.argv[1]
    extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)

    def model(name: str, tags: dict[str, str], versions: int, description: str = "") -> None:
        client.create_registered_model(name, tags=tags, description=description or None)
        for n in range(versions):
            client.create_model_version(name, source=f"s3://models/{name}/{n + 1}", tags={"build": str(n + 1)})

    model(
        "fraud-score",
        {"owner": "Alice@Example.com", "team": "Risk ML", "purpose": "classification", "monitoring": "drift,latency"},
        3,
        "Scores card payments for fraud.",
    )
    client.set_registered_model_alias("fraud-score", "champion", "3")
    client.set_registered_model_alias("fraud-score", "challenger", "2")
    model("demand-forecast", {"team": "Forecasting", "owner": "bob@example.com", "operated_by": "ML Platform"}, 1)
    client.set_registered_model_alias("demand-forecast", "candidate", "1")
    model("old-ranker", {"team": "Search"}, 1)
    client.transition_model_version_stage("old-ranker", "1", "Archived")
    model("Churn Model v2", {}, 0)
    model("pricing", {"purpose": "dynamic pricing", "owner": "carol@example.com"}, 2)
    client.transition_model_version_stage("pricing", "2", "Production")
    for i in range(extra):
        model(f"bulk-{i:03d}", {"team": "Bulk"}, 1)


if __name__ == "__main__":
    main()
