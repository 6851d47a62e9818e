//! Query strings. Generated query types list their parameters explicitly, so
//! the runtime can inspect them (for instance to add an idempotency key)
//! without a serializer round trip.

/// A set of query parameters, in the order the doc lists them.
pub trait QueryParams {
    /// Appends each parameter that is set, already converted to its wire text.
    fn append_to(&self, pairs: &mut Vec<(&'static str, String)>);
}

/// For endpoints without query parameters.
impl QueryParams for () {
    fn append_to(&self, _pairs: &mut Vec<(&'static str, String)>) {}
}
