//! Property tests for the XSD datatype library: no input panics, and value equality is
//! consistent with hashing and with validity.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;
use teikit::xsd::{Context, Datatype, NoContext, XSD_LIBRARY, xsd_type_names};

/// Binds `x` and the default namespace, declares entity `foo`.
struct Cx;

impl Context for Cx {
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String> {
        match prefix {
            None => Some(String::new()),
            Some("x") => Some("urn:x".into()),
            Some(_) => None,
        }
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        name == "foo"
    }
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Strings built from the characters that matter to the lexical spaces, plus anything.
fn lexical_strings() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "0",
        "1",
        "9",
        "00",
        "+",
        "-",
        ".",
        "e",
        "E",
        "INF",
        "NaN",
        ":",
        "T",
        "Z",
        "P",
        "Y",
        "M",
        "D",
        "H",
        "S",
        " ",
        "\t",
        "\n",
        "=",
        "/",
        "%",
        "#",
        "[",
        "]",
        "a",
        "x",
        "foo",
        "\u{e9}",
        "\u{10330}",
        "2001",
        "-12-31",
        "T23:59:60",
        "+14:00",
        "--",
        "AA",
        "==",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Every type checks every string without panicking, `value` agrees with `check`, and a
    /// value equals itself with a stable hash.
    #[test]
    fn no_panic_and_value_agrees_with_check(s in lexical_strings()) {
        for name in xsd_type_names() {
            let dt = Datatype::new(XSD_LIBRARY, name, &[]).expect("built-in type");
            let ok = dt.check(&s, &Cx).is_ok();
            let v = dt.value(&s, &Cx);
            prop_assert_eq!(ok, v.is_some(), "{} on {:?}", name, s);
            if let Some(v) = v {
                let again = dt.value(&s, &Cx).expect("same input");
                prop_assert_eq!(&v, &again);
                prop_assert_eq!(hash_of(&v), hash_of(&again));
            }
        }
    }

    /// Equal values hash equally, across different spellings of the same value.
    #[test]
    fn equal_values_hash_equally(a in lexical_strings(), b in lexical_strings()) {
        for name in xsd_type_names() {
            let dt = Datatype::new(XSD_LIBRARY, name, &[]).expect("built-in type");
            if let (Some(va), Some(vb)) = (dt.value(&a, &Cx), dt.value(&b, &Cx))
                && va == vb
            {
                prop_assert_eq!(hash_of(&va), hash_of(&vb), "{}: {:?} vs {:?}", name, a, b);
            }
        }
    }

    /// Numbers spelled differently are the same value.
    #[test]
    fn decimal_spellings(int in 0u64..1_000_000, zeros in 0usize..4, frac in "[0-9]{0,4}") {
        let dt = Datatype::new(XSD_LIBRARY, "decimal", &[]).unwrap();
        let plain = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let padded = format!("+{}{}.{}{}", "0".repeat(zeros), int, frac, "0".repeat(zeros));
        prop_assert_eq!(dt.value(&plain, &NoContext), dt.value(&padded, &NoContext));
    }

    /// Any string is either a valid pattern or a clean error, never a panic, and a valid
    /// pattern checks any string.
    #[test]
    fn patterns_never_panic(re in r"[-\[\]\\^(){}|?*+.,0-9a-cpPIsdwi]{0,16}", s in ".{0,8}") {
        if let Ok(dt) = Datatype::new(XSD_LIBRARY, "string", &[("pattern", re.as_str())]) {
            let _ = dt.check(&s, &NoContext);
        }
    }

    /// Facet values are checked against the type: bounds from arbitrary strings never panic.
    #[test]
    fn facets_never_panic(name in prop::sample::select(xsd_type_names().to_vec()),
                          facet in prop::sample::select(vec!["minInclusive", "maxExclusive", "length", "totalDigits", "fractionDigits", "maxLength"]),
                          v in lexical_strings(), s in lexical_strings()) {
        if let Ok(dt) = Datatype::new(XSD_LIBRARY, name, &[(facet, v.as_str())]) {
            let _ = dt.check(&s, &Cx);
        }
    }
}

#[test]
fn order_facets_agree_with_values() {
    // minInclusive = v accepts v itself; minExclusive = v does not.
    for (name, v) in [
        ("decimal", "1.50"),
        ("float", "-0"),
        ("double", "INF"),
        ("duration", "P1Y2M"),
        ("dateTime", "2001-01-01T00:00:00Z"),
        ("time", "23:59:60"),
        ("gYear", "-0001"),
        ("unsignedLong", "18446744073709551615"),
    ] {
        let incl = Datatype::new(XSD_LIBRARY, name, &[("minInclusive", v)]).unwrap();
        let excl = Datatype::new(XSD_LIBRARY, name, &[("minExclusive", v)]).unwrap();
        assert!(incl.allows(v, &NoContext), "{name} minInclusive {v}");
        assert!(!excl.allows(v, &NoContext), "{name} minExclusive {v}");
    }
}
