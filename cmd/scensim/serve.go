package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/live"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve a local page with a slider per param that has a range, re-running a preview as they move",
		ArgsUsage: "SCENARIO (a file)",
		Flags: append(liveFlags(),
			wholeFlag("port", nil, "0", 0, 65535, "the port on 127.0.0.1 (0: any free port, printed)"),
		),
		Action: serveAction,
	}
}

func serveAction(c *cli.Context) error {
	src, st, md, err := liveSetup(c)
	if err != nil {
		return err
	}
	srv, err := startServer(c, src, st, md)
	if err != nil {
		return err
	}
	err = srv.serve(c.Context)
	if c.Context.Err() != nil {
		return exitErrorf(ExitInterrupted, "interrupted")
	}
	return err
}

// liveServer is the live page's server, listening on 127.0.0.1.
type liveServer struct {
	page *live.Server
	ln   net.Listener
	poll time.Duration
}

// startServer listens on 127.0.0.1 (--port), builds the first preview and
// prints the page's address, token included, on stdout.
func startServer(c *cli.Context, src live.Source, st live.Settings, md float64) (*liveServer, error) {
	port, err := strconv.ParseUint(c.String("port"), 10, 16)
	if err != nil {
		return nil, exitErrorf(ExitInput, "--port %q: want a port number from 0 to 65535", c.String("port"))
	}
	token, err := live.NewToken()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.FormatUint(port, 10)))
	if err != nil {
		return nil, exitErrorf(ExitInput, "listening on 127.0.0.1:%d: %w", port, err)
	}
	page := &live.Server{Src: src, Settings: st, MinDiff: md, Token: token, Log: c.App.ErrWriter}
	if _, err := page.Refresh(c.Context); err != nil {
		ln.Close()
		return nil, exitErrorf(ExitInterrupted, "interrupted")
	}
	fmt.Fprintf(c.App.Writer, "live page: http://%s/?token=%s\n", ln.Addr(), token)
	return &liveServer{page: page, ln: ln, poll: c.Duration("poll")}, nil
}

// serve answers requests until ctx ends, then closes at once.
func (s *liveServer) serve(ctx context.Context) error {
	hs := &http.Server{Handler: s.page.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.page.WatchFiles(ctx, s.poll)
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return exitErrorf(ExitWrite, "serving the live page: %w", err)
	}
	return ctx.Err()
}
