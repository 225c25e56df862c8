"""Helpers shared by the pandas peers: input files, '-' as null, and partitioned zstd Parquet output."""
import glob
import os
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def input_files(directory: str, suffix: str) -> list:
    files = sorted(glob.glob(os.path.join(directory, f"*{suffix}")))
    if not files:
        sys.exit(f"no {suffix} files in {directory}")
    return files


def dash_to_null(series: pd.Series) -> pd.Series:
    return series.where(series != "-")


def partition_columns(df: pd.DataFrame, time_column: str, hour: bool = False) -> list:
    """Adds zero-padded UTC year/month/day(/hour) columns, the Hive partition keys logbeam writes."""
    t = df[time_column]
    df["year"] = t.dt.strftime("%Y")
    df["month"] = t.dt.strftime("%m")
    df["day"] = t.dt.strftime("%d")
    keys = ["year", "month", "day"]
    if hour:
        df["hour"] = t.dt.strftime("%H")
        keys.append("hour")
    return keys


def write_partitioned(df: pd.DataFrame, out: str, keys: list) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_to_dataset(table, out, partition_cols=keys, compression="zstd", existing_data_behavior="overwrite_or_ignore")
