//! Locale pairing and the three locale rules, end to end: the seeds, small
//! fixture trees under `tests/locale/`, and each way of pairing pages
//! (locale folders, `docs.ko-KR` repository folders, `--locale TAG=DIR`,
//! front matter, `--pair`). Each test asserts the exact findings.

use assert_cmd::Command;
use serde_json::Value;

const SEED_EN: &str = "../shared/seeds/002_4226d2e02c55d92f.txt";
const SEED_ZH: &str = "../shared/seeds/004_e7946ddbf53cd3b6.txt";

/// Runs `exemplar check --format json ARGS` and returns the JSON report.
fn check(args: &[&str]) -> Value {
    let out = Command::cargo_bin("exemplar")
        .expect("binary")
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

/// `(rule, path, line, column, message)` of the findings of `rules`; each
/// related place follows the message as ` @ path:line`.
fn findings(report: &Value, prefix: &str) -> Vec<(String, String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with(prefix)))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
                f["related"].as_array().into_iter().flatten().fold(
                    f["message"].as_str().unwrap_or_default().to_owned(),
                    |message, r| {
                        format!(
                            "{message} @ {}:{}",
                            r["path"].as_str().unwrap_or_default(),
                            r["line"]
                        )
                    },
                ),
            )
        })
        .collect()
}

fn f(
    rule: &str,
    path: &str,
    line: u64,
    column: u64,
    message: &str,
) -> (String, String, u64, u64, String) {
    (rule.into(), path.into(), line, column, message.into())
}

#[test]
fn seed_translation_drops_the_delegated_permissions() {
    let pair = format!("{SEED_EN}={SEED_ZH}");
    let report = check(&["--pair", &pair, SEED_EN, SEED_ZH]);
    assert_eq!(report["summary"]["paired_pages"], 1);
    // Row 29 (personal account, "not supported" on both sides) and row 30
    // (Application, the same two permissions joined by `、`) stay quiet, and
    // the examples (the rendered source pairs by position) are the same.
    assert_eq!(
        findings(&report, "locale-"),
        [f(
            "locale-permission-drift",
            SEED_ZH,
            28,
            21,
            "Delegated (work or school account) grants nothing (`不支持`) here, but the source \
             page grants `ExternalItem.ReadWrite.OwnedBy, ExternalItem.ReadWrite.All` @ ../shared/seeds/002_4226d2e02c55d92f.txt:12"
        )]
    );
}

#[test]
fn seeds_without_pair_are_not_paired() {
    let report = check(&[SEED_EN, SEED_ZH]);
    assert_eq!(report["summary"].get("paired_pages"), None);
    assert!(findings(&report, "locale-").is_empty());
}

#[test]
fn pair_must_name_pages_that_were_read() {
    let out = Command::cargo_bin("exemplar")
        .expect("binary")
        .args(["check", "--pair", "nowhere.md=elsewhere.md", SEED_EN])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--pair: `nowhere.md` is not among the pages read"));
}

#[test]
fn locale_folders_pair_and_every_rule_fires_at_its_place() {
    let report = check(&["tests/locale/tree"]);
    // zh-cn and ja-jp both find en-us; ja-jp differs only in layout, a
    // translated comment, `、` and the translated labels, so it stays quiet.
    assert_eq!(report["summary"]["paired_pages"], 2);
    let zh = "tests/locale/tree/zh-cn/api/widget-create.md";
    let en = "tests/locale/tree/en-us/api/widget-create.md";
    assert_eq!(
        findings(&report, "locale-"),
        [
            f(
                "locale-permission-drift",
                zh,
                13,
                10,
                &format!("Application differs from the source page: `Widget.Read.All` is missing @ {en}:12")
            ),
            f(
                "locale-example-drift",
                zh,
                25,
                18,
                &format!("`/displayName` is \"蓝色小组件\" here but \"Blue widget\" in the source page @ {en}:24")
            ),
            f(
                "locale-example-drift",
                zh,
                33,
                10,
                &format!("the status is 200 here but 201 in the source page @ {en}:32")
            ),
            f(
                "locale-example-drift",
                zh,
                47,
                5,
                &format!("the URL differs from the source page's `https://graph.microsoft.com/v1.0/widgets/w1` @ {en}:46")
            ),
            f(
                "locale-missing-example",
                zh,
                62,
                1,
                &format!("the source page ({en}) has no example `list_widgets`")
            ),
            f(
                "locale-missing-example",
                zh,
                67,
                16,
                &format!("this page lacks the source page's example `delete_widget` @ {en}:61")
            ),
        ]
    );
}

#[test]
fn source_locale_decides_what_pairs() {
    let report = check(&["--source-locale", "xx-yy", "tests/locale/tree"]);
    assert_eq!(report["summary"].get("paired_pages"), None);
    assert!(findings(&report, "locale-").is_empty());
    // With zh-cn as the source, en-us and ja-jp are its translations.
    let report = check(&["--source-locale", "zh-cn", "tests/locale/tree"]);
    assert_eq!(report["summary"]["paired_pages"], 2);
}

#[test]
fn repository_folder_and_locale_root_pair() {
    let report = check(&[
        "--locale",
        "en-us=tests/locale/repo/docs",
        "tests/locale/repo",
    ]);
    assert_eq!(report["summary"]["paired_pages"], 1);
    assert_eq!(
        findings(&report, "locale-"),
        [f(
            "locale-permission-drift",
            "tests/locale/repo/docs.ko-KR/api/widget-get.md",
            7,
            23,
            "Delegated (work or school account) grants nothing (`지원되지 않음`) here, but the \
             source page grants `Widget.Read` @ tests/locale/repo/docs/api/widget-get.md:7"
        )]
    );
}

#[test]
fn front_matter_locale_pairs_below_the_command_line_roots_and_suppression_works() {
    let en = "tests/locale/frontmatter/en";
    let fr = "tests/locale/frontmatter/fr";
    let report = check(&[en, fr]);
    assert_eq!(report["summary"]["paired_pages"], 1);
    // The first example's drift (another page size, one item fewer) is
    // suppressed by the comment before its annotation; the French labels and
    // "Non prise en charge." match the English table.
    let page = "tests/locale/frontmatter/fr/widget-list.md";
    assert_eq!(
        findings(&report, ""),
        [
            f(
                "locale-example-drift",
                page,
                34,
                52,
                "header `ConsistencyLevel: eventual` of the source page is missing here @ tests/locale/frontmatter/en/widget-list.md:30"
            ),
            f(
                "locale-example-drift",
                page,
                42,
                1,
                "the body differs from the source page's line `2` @ tests/locale/frontmatter/en/widget-list.md:38"
            ),
        ]
    );
}

#[test]
fn rules_can_be_switched_off_in_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("exemplar.toml");
    std::fs::write(
        &config,
        "[rules]\nlocale-example-drift = \"off\"\nlocale-missing-example = \"off\"\n",
    )
    .expect("write config");
    let config = config.to_string_lossy().into_owned();
    let report = check(&["--config", &config, "tests/locale/tree"]);
    let rules: Vec<String> = findings(&report, "locale-")
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(rules, ["locale-permission-drift"]);
}

/// CONTRACT: at least 99% of the corpus's zh-cn and ru-ru pages find their en-us page.
#[test]
fn corpus_pairs_its_translations() {
    let corpus = "../shared/corpus";
    if !std::path::Path::new(corpus).is_dir() {
        eprintln!("skipped: {corpus} is not here");
        return;
    }
    let report = check(&[corpus]);
    let mut translated = 0;
    for locale in ["zh-cn", "ru-ru"] {
        for folder in ["api", "resources"] {
            if let Ok(dir) =
                std::fs::read_dir(format!("{corpus}/{locale}/api-reference/v1.0/{folder}"))
            {
                translated += dir.count();
            }
        }
    }
    let paired = report["summary"]["paired_pages"].as_u64().unwrap_or(0) as usize;
    assert!(translated > 0);
    assert!(
        paired * 100 >= translated * 99,
        "{paired} of {translated} paired"
    );
}

#[test]
fn an_example_only_the_translation_has_can_be_suppressed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for locale in ["en-us", "zh-cn"] {
        let from = format!("tests/locale/tree/{locale}/api/widget-create.md");
        let to = dir.path().join(locale).join("api");
        std::fs::create_dir_all(&to).expect("mkdir");
        let mut text = std::fs::read_to_string(&from).expect("fixture");
        if locale == "zh-cn" {
            text = text.replace(
                "<!-- { \"blockType\": \"request\", \"name\": \"list_widgets\" } -->",
                "<!-- exemplar-disable locale-missing-example -->\n\
                 <!-- { \"blockType\": \"request\", \"name\": \"list_widgets\" } -->",
            );
        }
        std::fs::write(to.join("widget-create.md"), text).expect("write");
    }
    let root = dir.path().to_string_lossy().into_owned();
    let report = check(&[&root]);
    let missing: Vec<(String, u64, u64)> = findings(&report, "locale-missing-example")
        .into_iter()
        .map(|f| (f.1, f.2, f.3))
        .collect();
    // Only the example the translation lacks is left, one line further down.
    assert_eq!(
        missing,
        [(format!("{root}/zh-cn/api/widget-create.md"), 68, 16)]
    );
    assert!(findings(&report, "unused-suppression").is_empty());
}

/// `tests/locale/langs`: English pages and their translations into seven
/// languages, written as the real pages are (front matter, anchors, the
/// translated labels in the inflections each language uses). Each class of
/// the locale rules fires where it should and stays quiet where it should.
fn langs() -> Vec<(String, String, u64, u64, String)> {
    let report = check(&["tests/locale/langs"]);
    // Every translation found its English page.
    assert_eq!(report["summary"]["paired_pages"], 12);
    findings(&report, "locale-")
}

fn of_page(
    all: &[(String, String, u64, u64, String)],
    page: &str,
) -> Vec<(String, String, u64, u64, String)> {
    let path = format!("tests/locale/langs/{page}");
    all.iter().filter(|f| f.1 == path).cloned().collect()
}

const LANGS_EN: &str = "tests/locale/langs/en-us/api";

#[test]
fn permission_rows_pair_by_position_whatever_their_labels_say() {
    let all = langs();
    // "Делегированное", "Сервер приложений" (ru), "Temsilci", "Uygulama" (tr,
    // a language no word table knows), "委任", "アプリケーション" (ja), and
    // per-kind column headers in Russian, with the same permission names
    // joined by `и`, `ve`, `、`: no drift.
    for page in [
        "ru-ru/api/user-list-memberof.md",
        "tr-tr/api/user-list-memberof.md",
        "ja-jp/api/plannerplan-get.md",
        "ru-ru/api/manageddevice-wipe.md",
    ] {
        assert_eq!(of_page(&all, page), [], "{page}");
    }
    // pt-br: "Delegadas"/"Delegado"/"Aplicativos" pair by position; the
    // spaced-out name and the "not supported" row that grants something are
    // drift, each at the place in the cell.
    let page = "tests/locale/langs/pt-br/api/user-list-memberof.md";
    assert_eq!(
        of_page(&all, "pt-br/api/user-list-memberof.md"),
        [
            f(
                "locale-permission-drift",
                page,
                27,
                61,
                &format!("Delegated (work or school account) differs from the source page: `GroupMember.Read.All` is written `GroupMember. Read. All` @ {LANGS_EN}/user-list-memberof.md:22")
            ),
            f(
                "locale-permission-drift",
                page,
                28,
                42,
                &format!("Delegated (personal Microsoft account) grants `User.Read` here, but the source page grants nothing (`Not supported.`) @ {LANGS_EN}/user-list-memberof.md:23")
            ),
        ]
    );
    // zh-cn: machine translation translated the name.
    assert_eq!(
        of_page(&all, "zh-cn/api/plannerplan-get.md"),
        [f(
            "locale-permission-drift",
            "tests/locale/langs/zh-cn/api/plannerplan-get.md",
            27,
            16,
            &format!("Delegated (work or school account) differs from the source page: `Tasks.Read` is written `任务.读取`; `Tasks.ReadWrite` is written `任务.ReadWrite` @ {LANGS_EN}/plannerplan-get.md:21")
        )]
    );
}

#[test]
fn permission_tables_pair_in_order_and_rows_align_when_one_is_missing() {
    let all = langs();
    // fr-fr: two tables, the first with one column per kind of access; a
    // name added in table 1 and a mangled name in table 2.
    let page = "tests/locale/langs/fr-fr/api/manageddevice-wipe.md";
    assert_eq!(
        of_page(&all, "fr-fr/api/manageddevice-wipe.md"),
        [
            f(
                "locale-permission-drift",
                page,
                29,
                90,
                &format!("Application (`message`) in permissions table 1 differs from the source page: `Mail.Send` is not in the source page @ {LANGS_EN}/manageddevice-wipe.md:23")
            ),
            f(
                "locale-permission-drift",
                page,
                36,
                47,
                &format!("Delegated (work or school account) in permissions table 2 differs from the source page: `DeviceManagementManagedDevices.PriviligedOperation.All` is missing; `DeviceManagementManagedDevices.IliiligedOperation.All` is not in the source page @ {LANGS_EN}/manageddevice-wipe.md:30")
            ),
        ]
    );
    // de-de: the personal-account row was dropped; the other two rows still
    // pair with theirs ("Delegierte", "Anwendung"), and the added name of the
    // Application row is found.
    let page = "tests/locale/langs/de-de/api/user-list-memberof.md";
    assert_eq!(
        of_page(&all, "de-de/api/user-list-memberof.md"),
        [
            f(
                "locale-permission-drift",
                page,
                28,
                1,
                &format!("the source page's row `Delegated (personal Microsoft account)` is missing here; it grants nothing (`Not supported.`) @ {LANGS_EN}/user-list-memberof.md:23")
            ),
            f(
                "locale-permission-drift",
                page,
                28,
                56,
                &format!("Application differs from the source page: `Directory.ReadWrite.All` is not in the source page @ {LANGS_EN}/user-list-memberof.md:24")
            ),
        ]
    );
}

#[test]
fn an_older_translation_is_one_note_not_one_finding_per_property() {
    let all = langs();
    // ru-ru: an older `ms.date`, and the example still has the placeholder
    // values the source replaced: one note, where the first difference is.
    assert_eq!(
        of_page(&all, "ru-ru/api/group-update.md"),
        [f(
            "locale-outdated-translation",
            "tests/locale/langs/ru-ru/api/group-update.md",
            55,
            1,
            "the translation is older than its source page (its `ms.date` is 09/10/2019, the source page's 05/02/2021; example `update_group` keeps 1 of the source's 6 values): 7 values differ in the examples both have, the first here"
        )]
    );
    // pt-br: the source has gained an example and its section since.
    assert_eq!(
        of_page(&all, "pt-br/api/group-post-groups.md"),
        [f(
            "locale-outdated-translation",
            "tests/locale/langs/pt-br/api/group-post-groups.md",
            106,
            3,
            "the translation is older than its source page (the source page has 13 sections and 3 examples, this one 10 and 2): 1 example is on one side only and 1 value differs in the examples both have, the first here"
        )]
    );
    // zh-cn: same structure and date, a translated value and a dropped
    // property: drift to fix in place, reported one by one.
    let page = "tests/locale/langs/zh-cn/api/group-get.md";
    assert_eq!(
        of_page(&all, "zh-cn/api/group-get.md"),
        [
            f(
                "locale-example-drift",
                page,
                67,
                1,
                &format!("property `isAssignableToRole` of the source page's body is missing from `/` here @ {LANGS_EN}/group-get.md:69")
            ),
            f(
                "locale-example-drift",
                page,
                70,
                18,
                &format!("`/description` is \"高尔夫自助社区\" here but \"Self help community for golf\" in the source page @ {LANGS_EN}/group-get.md:64")
            ),
        ]
    );
    // de-de: older by its date, but its example is the source's: nothing to say.
    assert_eq!(of_page(&all, "de-de/api/group-get.md"), []);
}

/// A locale finding on a translated page without examples has its exact
/// position and, in the human report, its line. (A whole run that dropped
/// such pages' texts after their own checks, and read a page again from
/// its shown path when a later finding named it, was tried in session 8
/// and reverted: a shown path is not always the file's path.)
#[test]
fn a_finding_on_a_page_without_examples_has_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = |permission: &str| {
        format!(
            "---\ntitle: \"Create widget\"\nms.date: 2024-01-01\n---\n\n# Create widget\n\n\
             Creates a widget.\n\n## Permissions\n\n\
             | Permission type | Permissions (from least to most privileged) |\n\
             |:---|:---|\n\
             | Delegated (work or school account) | {permission} |\n\
             | Delegated (personal Microsoft account) | Not supported. |\n\
             | Application | Widget.ReadWrite.All |\n"
        )
    };
    for (locale, permission) in [("en-us", "Widget.ReadWrite.All"), ("zh-cn", "不支持。")] {
        let folder = dir.path().join(locale).join("api");
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("widget-create.md"), page(permission)).expect("write");
    }
    let root = dir.path().to_string_lossy().into_owned();
    let zh = format!("{root}/zh-cn/api/widget-create.md");
    let en = format!("{root}/en-us/api/widget-create.md");
    let report = check(&[&root]);
    assert_eq!(
        findings(&report, "locale-"),
        [f(
            "locale-permission-drift",
            &zh,
            14,
            40,
            &format!(
                "Delegated (work or school account) grants nothing (`不支持。`) here, but the \
                 source page grants `Widget.ReadWrite.All` @ {en}:14"
            )
        )]
    );
    let human = Command::cargo_bin("exemplar")
        .expect("binary")
        .args(["check", &root])
        .output()
        .expect("runs");
    let shown = String::from_utf8_lossy(&human.stdout);
    assert!(
        shown.contains("| Delegated (work or school account) | 不支持。 |"),
        "{shown}"
    );
}
