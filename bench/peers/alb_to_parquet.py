"""pandas peer of `logbeam run alb`: gzip ALB access logs -> typed columns -> zstd Parquet by year/month/day.

Usage: python alb_to_parquet.py <input-dir> <output-dir>
One file at a time (memory stays bounded), read with pandas' C CSV reader (space-delimited, "-quoted).
"""
import json
import sys

import pandas as pd

from pandas_common import dash_to_null, input_files, partition_columns, write_partitioned

COLUMNS = [
    "type", "time", "elb", "client", "target", "request_processing_time", "target_processing_time",
    "response_processing_time", "elb_status_code", "target_status_code", "received_bytes", "sent_bytes", "request",
    "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn",
    "matched_rule_priority", "request_creation_time", "actions_executed", "redirect_url", "error_reason",
    "target_port_list", "target_status_code_list", "classification", "classification_reason", "conn_trace_id",
    "transformed_host", "transformed_uri", "request_transform_status", "extra",
]
TEXT = ["user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn",
        "actions_executed", "redirect_url", "error_reason", "target_port_list", "target_status_code_list",
        "classification", "classification_reason", "conn_trace_id", "transformed_host", "transformed_uri",
        "request_transform_status"]


def number(series: pd.Series, dtype: str) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(dtype)


def transform(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"type": raw["type"]})
    out["time"] = pd.to_datetime(raw["time"], utc=True, format="ISO8601", errors="coerce")
    out["elb"] = raw["elb"]
    client = raw["client"].str.rsplit(":", n=1, expand=True)
    out["client_ip"] = client[0]
    out["client_port"] = number(client[1], "Int32")
    target = dash_to_null(raw["target"]).str.rsplit(":", n=1, expand=True)
    out["target_ip"] = target[0]
    out["target_port"] = number(target[1], "Int32") if 1 in target.columns else pd.Series(pd.NA, index=raw.index, dtype="Int32")
    for name in ["request_processing_time", "target_processing_time", "response_processing_time"]:
        out[name] = number(raw[name], "float64")
    for name in ["elb_status_code", "target_status_code"]:
        out[name] = number(raw[name], "Int32")
    for name in ["received_bytes", "sent_bytes"]:
        out[name] = number(raw[name], "Int64")
    request = raw["request"].str.extract(r"^(\S*) (.*) (\S*)$")
    out["request_verb"], out["request_url"], out["request_proto"] = request[0], request[1], request[2]
    for name in TEXT[:7]:
        out[name] = dash_to_null(raw[name])
    out["matched_rule_priority"] = number(raw["matched_rule_priority"], "Int32")
    out["request_creation_time"] = pd.to_datetime(raw["request_creation_time"], utc=True, format="ISO8601", errors="coerce")
    # Fields added to the format over the years are absent from older lines: pandas pads them with "", logbeam
    # reads them as null.
    for name in TEXT[7:]:
        out[name] = dash_to_null(raw[name]).replace("", pd.NA)
    # The first undocumented trailing field, as a JSON array (what the DuckDB peer keeps; logbeam keeps them all).
    out["extra"] = raw["extra"].map(lambda value: None if pd.isna(value) or value == "" else json.dumps([value])).astype("string")
    return out[out["time"].notna()]


def main(input_dir: str, output_dir: str) -> None:
    for path in input_files(input_dir, ".gz"):
        raw = pd.read_csv(path, sep=" ", quotechar='"', header=None, names=COLUMNS, usecols=range(len(COLUMNS)),
                          dtype=str, keep_default_na=False, na_values=[], engine="c", on_bad_lines="skip")
        df = transform(raw)
        write_partitioned(df, output_dir, partition_columns(df, "time"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
