// Package oauthlogin obtains an OAuth access token with the authorization
// code flow and PKCE (RFC 7636) through a loopback redirect (RFC 8252), and
// keeps it in a per-target cache file that only the user can read. A cached
// token is refreshed with its refresh token when it expires.
//
// It is the only place pgsnow writes a secret to disk, and only on an
// explicit `pgsnow login`.
package oauthlogin
