// check.go is an outside implementation for hallvote's audit log: it reads the fixture written by
// tlog_go_fixture and verifies every checkpoint (signed note), inclusion proof and consistency proof with Go's
// golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog, then checks that tampered copies are rejected.
// Run offline: GO111MODULE=off GOPATH=/usr/share/gocode go run check.go <fixture>
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "check.go: "+format+"\n", args...)
	os.Exit(1)
}

func hash(s string) tlog.Hash {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		fatalf("bad hash %q", s)
	}
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func hashes(s string) []tlog.Hash {
	if s == "-" {
		return nil
	}
	var out []tlog.Hash
	for _, p := range strings.Split(s, ",") {
		out = append(out, hash(p))
	}
	return out
}

func number(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		fatalf("bad number %q", s)
	}
	return n
}

// openCheckpoint verifies the note and parses the tlog-checkpoint body: origin, size, root.
func openCheckpoint(msg []byte, verifiers note.Verifiers, origin string) (int64, tlog.Hash, error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[0] != origin || lines[3] != "" {
		return 0, tlog.Hash{}, fmt.Errorf("not a checkpoint")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	b, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(b) != 32 {
		return 0, tlog.Hash{}, fmt.Errorf("bad root")
	}
	var root tlog.Hash
	copy(root[:], b)
	return size, root, nil
}

func main() {
	if len(os.Args) != 2 {
		fatalf("usage: check.go <fixture>")
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fatalf("%v", err)
	}
	var verifiers note.Verifiers
	var origin string
	roots := map[int64]tlog.Hash{}
	checkpoints, inclusions, consistencies, rejected := 0, 0, 0, 0
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		switch fields[0] {
		case "vkey":
			v, err := note.NewVerifier(fields[1])
			if err != nil {
				fatalf("vkey: %v", err)
			}
			verifiers = note.VerifierList(v)
			origin = v.Name()
		case "checkpoint":
			msg, err := base64.StdEncoding.DecodeString(fields[1])
			if err != nil {
				fatalf("checkpoint base64: %v", err)
			}
			size, root, err := openCheckpoint(msg, verifiers, origin)
			if err != nil {
				fatalf("checkpoint %d does not verify: %v", checkpoints, err)
			}
			roots[size] = root
			checkpoints++
			// Tampered: one byte of the text changed must be rejected.
			bad := append([]byte(nil), msg...)
			bad[len(origin)+1] ^= 0x01
			if _, _, err := openCheckpoint(bad, verifiers, origin); err == nil {
				fatalf("tampered checkpoint %d accepted", checkpoints)
			}
			rejected++
		case "inclusion":
			size, index, leaf, proof := number(fields[1]), number(fields[2]), hash(fields[3]), hashes(fields[4])
			if err := tlog.CheckRecord(proof, size, roots[size], index, leaf); err != nil {
				fatalf("inclusion of %d in %d: %v", index, size, err)
			}
			inclusions++
			bad := leaf
			bad[0] ^= 1
			if tlog.CheckRecord(proof, size, roots[size], index, bad) == nil {
				fatalf("tampered inclusion of %d in %d accepted", index, size)
			}
			if len(proof) > 0 {
				p := append([]tlog.Hash(nil), proof...)
				p[len(p)-1][5] ^= 1
				if tlog.CheckRecord(p, size, roots[size], index, leaf) == nil {
					fatalf("tampered inclusion proof of %d in %d accepted", index, size)
				}
			}
			rejected++
		case "consistency":
			oldSize, oldRoot, newSize, proof := number(fields[1]), hash(fields[2]), number(fields[3]), hashes(fields[4])
			if roots[oldSize] != oldRoot {
				fatalf("consistency: old root of %d differs from its checkpoint", oldSize)
			}
			if err := tlog.CheckTree(proof, newSize, roots[newSize], oldSize, oldRoot); err != nil {
				fatalf("consistency %d -> %d: %v", oldSize, newSize, err)
			}
			consistencies++
			if len(proof) > 0 {
				p := append([]tlog.Hash(nil), proof...)
				p[0][0] ^= 1
				if tlog.CheckTree(p, newSize, roots[newSize], oldSize, oldRoot) == nil {
					fatalf("tampered consistency %d -> %d accepted", oldSize, newSize)
				}
				rejected++
			}
		default:
			fatalf("unknown line %q", fields[0])
		}
	}
	if checkpoints < 1000 || inclusions < 1000 || consistencies < 1000 {
		fatalf("too few checks: %d checkpoints, %d inclusions, %d consistencies", checkpoints, inclusions, consistencies)
	}
	fmt.Printf("Go sumdb/note+tlog verified %d checkpoints, %d inclusion and %d consistency proofs; rejected %d tampered\n",
		checkpoints, inclusions, consistencies, rejected)
}
