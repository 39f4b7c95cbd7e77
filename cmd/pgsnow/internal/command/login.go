package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
)

// defaultLoginPort is the loopback port of the redirect URI registered in
// the OAuth app (http://127.0.0.1:8250/callback); Okta matches it exactly.
const defaultLoginPort = 8250

func loginCommand() *cli.Command {
	return &cli.Command{
		Name:  "login",
		Usage: "obtain and cache an OAuth token for the Snowflake target (Okta or any OAuth 2.0 server)",
		Description: "Runs the OAuth authorization code flow with PKCE in a browser for a target whose\n" +
			"auth block has method = \"oauth\" and a client_id without client_secret (a public\n" +
			"client), and caches the token (0600) under $PGSNOW_CONFIG_DIR/tokens or the user\n" +
			"config directory. plan, apply and verify then use it, refreshing it when it expires.\n" +
			"Login is interactive: without a terminal it refuses unless -no-browser is given\n" +
			"(print the URL and wait). In CI use token, token_file or client credentials instead.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "give up waiting for the browser after `DURATION`"},
			&cli.IntFlag{Name: "port", Value: defaultLoginPort, Usage: "loopback `PORT` of the redirect URI http://127.0.0.1:PORT/callback (0: any free port)"},
			&cli.BoolFlag{Name: "no-browser", Usage: "do not open a browser: print the URL and wait (also without a terminal)"},
			&cli.BoolFlag{Name: "logout", Usage: "delete the cached token of the target instead"},
		},
		Action: runLogin,
	}
}

// loginTarget is the oauth public client a target logs in with, or an
// error saying why the target does not use `pgsnow login`.
func loginTarget(spec *lang.Spec) (oauthlogin.Options, oauthlogin.Target, error) {
	t := spec.Target
	if t == nil {
		return oauthlogin.Options{}, oauthlogin.Target{}, errors.New("the spec has no target block")
	}
	if !usesLogin(t.Auth) {
		return oauthlogin.Options{}, oauthlogin.Target{}, fmt.Errorf("target %q does not log in with 'pgsnow login': that needs auth method = \"oauth\" with client_id and no client_secret, token or token_file", t.Name)
	}
	a := t.Auth
	o := oauthlogin.Options{ClientID: a.ClientID, AuthURL: a.AuthorizationURL, TokenURL: a.TokenURL, Scopes: a.Scopes}
	if a.Issuer != "" {
		o.AuthURL, o.TokenURL = oauthlogin.Endpoints(a.Issuer)
	}
	server := a.Issuer
	if server == "" {
		server = a.TokenURL
	}
	return o, oauthlogin.Target{Account: t.Account, User: t.User, Issuer: server, ClientID: a.ClientID}, nil
}

// usesLogin says the token comes from `pgsnow login`'s cache: a public
// client, with no other token source configured.
func usesLogin(a lang.Auth) bool {
	return a.Method == "oauth" && a.ClientID != "" && !a.ClientSecret.IsSet() && !a.Token.IsSet() && a.TokenFile == ""
}

func runLogin(c *cli.Context) error {
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	o, target, err := loginTarget(spec)
	if err != nil {
		return err
	}
	cache, err := oauthlogin.DefaultCache()
	if err != nil {
		return err
	}
	out := c.App.Writer
	if c.Bool("logout") {
		had, err := cache.Delete(target)
		if err != nil {
			return fmt.Errorf("deleting the cached token: %w", err)
		}
		if had {
			fmt.Fprintf(out, "Logged out: deleted the cached token of target %q.\n", spec.Target.Name)
		} else {
			fmt.Fprintf(out, "No cached token for target %q; nothing to do.\n", spec.Target.Name)
		}
		return nil
	}
	noBrowser := c.Bool("no-browser")
	if !noBrowser && !isTerminal(c.App.Reader) {
		return errors.New("'pgsnow login' is interactive and stdin is not a terminal; nothing was done. " +
			"In CI give the target a token, a token_file, or client credentials (client_id with client_secret), " +
			"or run 'pgsnow login -no-browser' to print the URL and wait")
	}
	if c.Int("port") < 0 || c.Int("port") > 65535 {
		return fmt.Errorf("-port %d: not a TCP port", c.Int("port"))
	}
	o.Port, o.Timeout, o.Out = c.Int("port"), c.Duration("timeout"), out
	if !noBrowser && isTerminal(out) {
		o.Open = openBrowser
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	tok, err := oauthlogin.Login(ctx, o)
	if err != nil {
		return err
	}
	if err := cache.Save(target, tok); err != nil {
		return err
	}
	fmt.Fprintf(out, "Logged in. The token of target %q is cached in %s", spec.Target.Name, cache.Path(target))
	if !tok.Expiry.IsZero() {
		fmt.Fprintf(out, " (expires %s", tok.Expiry.UTC().Format(time.RFC3339))
		if tok.RefreshToken != "" {
			fmt.Fprint(out, "; refreshed automatically")
		}
		fmt.Fprint(out, ")")
	}
	fmt.Fprintln(out, ".")
	return nil
}

// openBrowser starts the platform's URL opener and does not wait for it.
func openBrowser(url string) error {
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		return errors.New("open the URL yourself")
	}
	cmd := exec.Command(name, url)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it
	return nil
}
