"""The API's operations, one module per domain app; each calls that app's selectors and
services and looks everything up through the token's organisation."""
