"""pandas peer of `logbeam run pipelines/security-features.ts` with its defaults (working hours 09-17 UTC, no
region allow-list, fixed 5-minute windows): CloudTrail documents -> per-event features (events/) and
per-principal 5-minute window summaries (principal_windows/), zstd Parquet by year/month/day.

Usage: python security_features.py <input-dir> <output-dir>
"""
import gzip
import json
import sys

import pandas as pd

from pandas_common import input_files, partition_columns, write_partitioned

FIELDS = ["eventTime", "eventName", "eventSource", "awsRegion", "sourceIPAddress", "readOnly", "managementEvent", "errorCode"]


def text(value):
    return value if isinstance(value, str) and value != "" else None


def principal(identity) -> str:
    identity = identity if isinstance(identity, dict) else {}
    issuer = ((identity.get("sessionContext") or {}).get("sessionIssuer") or {}) if isinstance(identity.get("sessionContext"), dict) else {}
    return text(identity.get("userName")) or text(issuer.get("userName") if isinstance(issuer, dict) else None) or text(identity.get("arn")) or text(identity.get("principalId")) or "UNKNOWN_USER"


def load(path: str) -> pd.DataFrame:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = json.load(handle)["Records"]
    df = pd.DataFrame.from_records(records, columns=FIELDS + ["userIdentity"])
    identity = df["userIdentity"]
    df["userIdentity_userName"] = identity.map(lambda i: text(i.get("userName")) if isinstance(i, dict) else None).fillna("UNKNOWN_USER")
    df["userIdentity_type"] = identity.map(lambda i: text(i.get("type")) if isinstance(i, dict) else None).fillna("Unknown")
    df["principal"] = identity.map(principal)
    return df.drop(columns=["userIdentity"])


def failed(error_code: pd.Series) -> pd.Series:
    code = error_code.fillna("").astype(str).str.strip()
    numeric = pd.to_numeric(code.where(code.str.fullmatch(r"\d{3}")), errors="coerce")
    return (code != "") & (code != "-") & (numeric.isna() | (numeric >= 400))


def main(input_dir: str, output_dir: str) -> None:
    df = pd.concat([load(path) for path in input_files(input_dir, ".gz")], ignore_index=True)
    df["eventTime"] = pd.to_datetime(df["eventTime"], utc=True, format="ISO8601", errors="coerce")
    df = df[df["eventTime"].notna()].copy()
    df["readOnly"] = df["readOnly"].eq(True)
    df["managementEvent"] = df["managementEvent"].eq(True)
    df["hour"] = df["eventTime"].dt.hour.astype("int32")
    df["unusual_hour"] = (df["hour"] < 9) | (df["hour"] >= 17)
    df["geo_anomaly"] = False
    df["failed_action"] = failed(df["errorCode"])
    per_hour = df.groupby([df["principal"], df["eventTime"].dt.floor("h")])
    df["action_count"] = per_hour["failed_action"].transform("size").astype("int64")
    df["failed_actions_count_hourly"] = per_hour["failed_action"].transform("sum").astype("int64")
    df["failed_actions_count"] = df.groupby("principal")["failed_action"].transform("sum").astype("int64")
    events = df[["eventTime", "principal", "eventName", "eventSource", "awsRegion", "sourceIPAddress", "readOnly", "managementEvent",
                 "userIdentity_userName", "userIdentity_type", "errorCode", "hour", "unusual_hour", "geo_anomaly", "failed_action",
                 "action_count", "failed_actions_count_hourly", "failed_actions_count"]].copy()
    write_partitioned(events, f"{output_dir}/events", partition_columns(events, "eventTime"))

    df["window_start"] = df["eventTime"].dt.floor("5min")
    windows = df.groupby(["principal", "window_start"]).agg(
        event_count=("eventTime", "size"), distinct_event_names=("eventName", "nunique"), distinct_source_ips=("sourceIPAddress", "nunique"),
        distinct_regions=("awsRegion", "nunique"), error_count=("failed_action", "sum"), read_only_count=("readOnly", "sum"),
        first_event_time=("eventTime", "min"), last_event_time=("eventTime", "max")).reset_index()
    windows["window_end"] = windows["window_start"] + pd.Timedelta(minutes=5)
    windows["error_rate"] = windows["error_count"] / windows["event_count"]
    windows["read_only_ratio"] = windows["read_only_count"] / windows["event_count"]
    windows = windows[["principal", "window_start", "window_end", "event_count", "distinct_event_names", "distinct_source_ips", "distinct_regions",
                       "error_count", "error_rate", "read_only_ratio", "first_event_time", "last_event_time"]].astype(
        {"event_count": "int64", "distinct_event_names": "int64", "distinct_source_ips": "int64", "distinct_regions": "int64", "error_count": "int64"})
    write_partitioned(windows, f"{output_dir}/principal_windows", partition_columns(windows, "window_start"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
