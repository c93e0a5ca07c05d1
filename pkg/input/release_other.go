//go:build !unix

package input

func release(string) {}
