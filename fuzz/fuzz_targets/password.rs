//! Any bytes as a new password and a person's name: the policy (`Password::parse`: length in
//! characters, then zxcvbn with the product's words and the name) never panics, and what it
//! accepts has 12 to 128 characters.
#![no_main]

use leadmap_app::secrets::Password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    // The first line is the name, the rest the password (a name can be empty).
    let (name, password) = s.split_once('\n').unwrap_or(("", &s));
    if let Ok(p) = Password::parse(password, &[name]) {
        let n = p.as_str().chars().count();
        assert!((Password::MIN..=Password::MAX).contains(&n), "{n} characters accepted");
    }
});
