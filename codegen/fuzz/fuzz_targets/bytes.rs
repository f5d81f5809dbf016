//! Arbitrary bytes as a spec: load → lower → emit → format must answer with a result,
//! never a panic. Seed the corpus with `spec/openapi.yaml` and the fixtures so libFuzzer's
//! byte mutations start from real documents.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = codegen::generate_str("fuzz.yaml", text, None);
    }
});
