-----BEGIN PRIVATE KEY-----
bm90IGEgcmVhbCBrZXksIG9ubHkgdGVzdCBkYXRhIGZvciBwZ3Nub3cncyBzcGVjIHBhcnNlcg==
-----END PRIVATE KEY-----
