//! `ikz explain FILE --html OUT.html` (#12 item 1): headless Chromium
//! loads the page, and the DOM it builds holds one highlighted mention per
//! mentions row and one relation per relations row of the same page, every
//! dropped line with its rule; the page loads nothing from elsewhere; and
//! ikz replaces no file it did not write.

mod common;

use std::path::Path;
use std::process::Command;

use common::{ikz, read_csv, root};

/// The DOM as headless Chromium serialises it after parsing the page.
fn chromium_dom(page: &Path) -> String {
    let profile = tempfile::tempdir().expect("temp dir");
    let run = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (Debian's chromium package; the README test command installs it)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).expect("utf-8 DOM")
}

#[test]
fn chromium_shows_every_mention_and_relation_of_the_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let pages = [
        root().join("seeds/000_2c791de00880aa42.txt"),
        root().join("seeds/001_547774f3407cf024.txt"),
    ];
    let mut checked = 0;
    for page in &pages {
        let html = dir.path().join("page.html");
        let page_arg = page.to_str().expect("utf-8");
        let report = ikz(&["explain", page_arg, "--html", html.to_str().expect("utf-8")]);
        assert!(
            report.status.success(),
            "{}",
            String::from_utf8_lossy(&report.stderr)
        );
        let written = std::fs::read_to_string(&html).expect("page written");
        for outside in ["<script", "src=", "href=", "@import", "url("] {
            assert!(
                !written.contains(outside),
                "the page loads something: {outside}"
            );
        }
        let _ = std::fs::remove_dir_all(&out);
        let run = ikz(&[
            "extract",
            page_arg,
            "--out",
            out.to_str().expect("utf-8"),
            "-q",
        ]);
        assert!(run.status.success());
        let mentions = read_csv(&out.join("mentions.csv"));
        let relations = read_csv(&out.join("relations.csv"));
        assert!(mentions.len() > 10 && !relations.is_empty());

        let dom = chromium_dom(&html);
        assert!(
            dom.contains("<article class=\"document\""),
            "{}",
            &dom[..dom.len().min(500)]
        );
        let marks = dom.matches("<mark class=\"m ").count() - 5; // the legend has five
        assert_eq!(marks, mentions.len(), "{}", page.display());
        // In order, each mark holds the mention's own text.
        let mut rest = dom.as_str();
        for m in &mentions {
            let tag = format!(
                "<mark class=\"m {}\" data-entity-id=\"{}\" data-rule-id=\"{}\"",
                m["label"], m["entity_id"], m["rule_id"]
            );
            let at = rest
                .find(&tag)
                .unwrap_or_else(|| panic!("no {tag} after the last"));
            let inner = &rest[at..];
            let text =
                &inner[inner.find('>').expect(">") + 1..inner.find("</mark>").expect("</mark>")];
            let text = text.replace("&amp;", "&").replace("&quot;", "\"");
            assert_eq!(text, m["text"], "{tag}");
            rest = &inner[tag.len()..];
        }
        assert!(
            dom.contains("<span class=\"ref\" title=\"refers to "),
            "no reference shown"
        );
        assert!(
            dom.contains("<li class=\"miss\""),
            "no candidate miss shown"
        );
        let shown: Vec<&str> = dom.split("<li class=\"relation\" ").skip(1).collect();
        assert_eq!(shown.len(), relations.len(), "{}", page.display());
        for (item, r) in shown.iter().zip(&relations) {
            assert!(
                item.starts_with(&format!(
                    "data-type=\"{}\" data-rule-id=\"{}\"",
                    r["type"], r["rule_id"]
                )),
                "{item}"
            );
            assert!(item.contains("<span class=\"arrow\">→</span>"));
        }
        let dropped = dom
            .matches("<li class=\"line dropped\" data-rule=\"")
            .count();
        let kept = dom.matches("<li class=\"line kept\"").count();
        let lines = std::fs::read_to_string(page)
            .expect("page")
            .split('\n')
            .count();
        assert_eq!(dropped + kept, lines);
        assert!(dropped > 0 && kept > 0);
        checked += mentions.len();
    }
    assert!(checked > 40);
}

#[test]
fn a_file_ikz_did_not_write_is_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mine = dir.path().join("notes.html");
    std::fs::write(&mine, "<p>my notes</p>").expect("write");
    let page = root().join("seeds/000_2c791de00880aa42.txt");
    let page = page.to_str().expect("utf-8");
    let run = ikz(&["explain", page, "--html", mine.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("was not written by ikz explain"));
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "<p>my notes</p>"
    );
    // A folder is refused; a page ikz wrote is replaced.
    let run = ikz(&[
        "explain",
        page,
        "--html",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let own = dir.path().join("explain.html");
    for _ in 0..2 {
        let run = ikz(&["explain", page, "--html", own.to_str().expect("utf-8")]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 2, "only notes.html and explain.html: {left:?}");
    // A link is refused, even to a page of ikz's; so is a special file.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&own, &link).expect("symlink");
        let run = ikz(&["explain", page, "--html", link.to_str().expect("utf-8")]);
        assert_eq!(run.status.code(), Some(2));
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        let run = ikz(&["explain", page, "--html", "/dev/null"]);
        assert_eq!(run.status.code(), Some(2));
    }
}
