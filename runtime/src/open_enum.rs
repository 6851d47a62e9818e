//! The trait impls every generated open enum shares. The generator writes
//! each enum's data (variants, `as_str` or `as_i64`, `documented`) and one
//! `open_enum_impls!` (or, for integers, `open_int_enum_impls!`) line; the
//! behaviour lives here, once.
//!
//! Generated code lives in another crate (`feishu-openapi`), so the macro is
//! exported and [`Wire`] is public; both are hidden from the docs, as only
//! generated code should name them.

/// Implements `From<String>`, `From<&str>`, `Display`, `Serialize`,
/// `Deserialize`, `PartialEq`, `Eq` and `Hash` for an enum with
/// `as_str(&self) -> &str`, `documented(&str) -> Option<Self>` and an
/// `Unknown(String)` variant: documented spellings decode to their variant,
/// anything else is kept in `Unknown` and encodes back unchanged. Values
/// compare by their spelling, so an `Unknown` built by hand with a
/// documented spelling equals its documented variant.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(wire: ::std::string::String) -> Self {
                Self::documented(&wire).unwrap_or(Self::Unknown(wire))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(wire: &str) -> Self {
                Self::documented(wire)
                    .unwrap_or_else(|| Self::Unknown(::std::borrow::ToOwned::to_owned(wire)))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::open_enum::wire_value_eq!($name, as_str);

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_str($crate::open_enum::Wire(Self::documented, Self::Unknown))
            }
        }
    };
}

/// Implements `From<i64>`, `Display`, `Serialize`, `Deserialize`,
/// `PartialEq`, `Eq` and `Hash` for an enum with `as_i64(&self) -> i64`,
/// `documented(i64) -> Option<Self>` and an `Unknown(i64)` variant: values
/// are JSON integers; documented ones decode to their variant, any other is
/// kept in `Unknown` and encodes back unchanged. Values compare by number.
#[doc(hidden)]
#[macro_export]
macro_rules! open_int_enum_impls {
    ($name:ident) => {
        impl ::std::convert::From<i64> for $name {
            fn from(wire: i64) -> Self {
                Self::documented(wire).unwrap_or(Self::Unknown(wire))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        $crate::open_enum::wire_value_eq!($name, as_i64);

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

/// `PartialEq`, `Eq` and `Hash` by the wire value `$wire` returns, for both
/// kinds of open enum: a value compares as it is sent.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_value_eq {
    ($name:ident, $wire:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.$wire() == other.$wire()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(&self.$wire(), state)
            }
        }
    };
}

// Generated code calls them by these paths, `<crate>::open_enum::open_enum_impls!`.
#[doc(hidden)]
pub use crate::{open_enum_impls, open_int_enum_impls, wire_value_eq};

/// Decodes a wire string into an open enum, allocating only for a value the
/// docs do not list.
#[doc(hidden)]
pub struct Wire<T>(pub fn(&str) -> Option<T>, pub fn(String) -> T);

impl<T> serde::de::Visitor<'_> for Wire<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, wire: &str) -> Result<T, E> {
        Ok((self.0)(wire).unwrap_or_else(|| (self.1)(wire.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, wire: String) -> Result<T, E> {
        Ok((self.0)(&wire).unwrap_or_else(|| (self.1)(wire)))
    }
}
