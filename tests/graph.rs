//! `ikz extract --graph` writes `relations.graphml`; networkx reads it and
//! finds one node per entities row and one edge per relations row, with the
//! row's endpoints and attributes, in row order.

mod common;

use common::ikz;

const CHECK: &str = r#"
import sys
import networkx as nx
import pandas as pd

out = sys.argv[1]
def value(x):
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else x

g = nx.read_graphml(f"{out}/relations.graphml", force_multigraph=True)
entities = pd.read_parquet(f"{out}/entities.parquet")
relations = pd.read_parquet(f"{out}/relations.parquet")
assert g.is_directed() and g.is_multigraph()
assert g.number_of_nodes() == len(entities), (g.number_of_nodes(), len(entities))
assert g.number_of_edges() == len(relations), (g.number_of_edges(), len(relations))
for e in entities.itertuples():
    node = g.nodes[e.entity_id]
    assert node["label"] == e.label and node["canonical"] == e.canonical, e
    assert node["n_docs"] == e.n_docs and node["n_mentions"] == e.n_mentions, e
    assert node.get("external_id") == value(e.external_id), e
edges = sorted(g.edges(keys=True, data=True), key=lambda x: int(x[2][1:]))
for (s, o, _, data), r in zip(edges, relations.itertuples()):
    assert (s, o) == (r.subject_id, r.object_id), (s, o, r)
    assert data["type"] == r.type and data["doc_id"] == r.doc_id, (data, r)
    assert data["rule_id"] == r.rule_id and data["evidence"] == r.evidence, (data, r)
    assert data["sentence_idx"] == r.sentence_idx, (data, r)
    assert data.get("role") == value(r.role), (data, r)
    assert data.get("role_id") == value(r.role_id), (data, r)
    published = value(r.published)
    assert data.get("published") == (str(published) if published else None), (data, r)
assert (relations.type == "ROLE").sum() > 20 and relations.published.notna().sum() > 20
print(g.number_of_nodes(), g.number_of_edges())
"#;

#[test]
fn networkx_reads_the_graph_with_the_tables_nodes_and_edges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8 path");
    let inputs = ["seeds", "../shared/dev/docs", "../shared/dev2/docs"];
    let mut args = vec!["extract", "--graph", "--out", out_arg, "-q"];
    args.extend(inputs);
    let run = ikz(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    common::python_check("networkx check", CHECK, &[out_arg]);
}

#[test]
fn without_graph_no_graphml_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = ikz(&[
        "extract",
        "seeds",
        "--out",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert!(run.status.success());
    assert!(out.join("relations.parquet").is_file());
    assert!(!out.join("relations.graphml").exists());
}
