// SPDX-License-Identifier: GPL-2.0
//
// goheap - a Go process with a ~200 MiB live heap and goroutines with
// deep stacks, for tests/vm/t-acc-go.sh.
//
//	goheap [MiB]        (200 by default)
//
// Allocates MiB slices of 1 MiB, writes every 4 KiB page of each, starts
// 64 goroutines that each grow their stack to about 256 KiB and park,
// runs a GC, then prints one JSON line: its pid, runtime.MemStats
// (HeapSys, HeapInuse, StackSys, StackInuse, Sys and the runtime's other
// *Sys), and one address on the stack of each parked goroutine.  Then it
// waits for a line (or EOF) on stdin and exits 0.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"unsafe"
)

var held [][]byte

// deep recurses with a 4 KiB frame until depth is 0, then reports an
// address of its frame and parks.
func deep(depth int, addr chan<- uintptr, park <-chan struct{}) byte {
	var pad [4096]byte
	pad[depth%4096] = byte(depth)
	if depth == 0 {
		addr <- uintptr(unsafe.Pointer(&pad[0]))
		<-park
		return pad[0]
	}
	return deep(depth-1, addr, park) + pad[depth%4096]
}

func main() {
	mib := 200
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil {
			mib = v
		}
	}
	for i := 0; i < mib; i++ {
		b := make([]byte, 1<<20)
		for off := 0; off < len(b); off += 4096 {
			b[off] = byte(i | 1)
		}
		held = append(held, b)
	}
	park := make(chan struct{})
	addrs := make(chan uintptr)
	const goroutines = 64
	for i := 0; i < goroutines; i++ {
		go deep(60, addrs, park)
	}
	stacks := make([]string, 0, goroutines)
	for i := 0; i < goroutines; i++ {
		stacks = append(stacks, fmt.Sprintf("0x%x", <-addrs))
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out := map[string]interface{}{
		"stage":            "ready",
		"pid":              os.Getpid(),
		"held_mib":         len(held),
		"HeapSys":          ms.HeapSys,
		"HeapInuse":        ms.HeapInuse,
		"HeapIdle":         ms.HeapIdle,
		"HeapReleased":     ms.HeapReleased,
		"StackSys":         ms.StackSys,
		"StackInuse":       ms.StackInuse,
		"Sys":              ms.Sys,
		"MSpanSys":         ms.MSpanSys,
		"MCacheSys":        ms.MCacheSys,
		"BuckHashSys":      ms.BuckHashSys,
		"GCSys":            ms.GCSys,
		"OtherSys":         ms.OtherSys,
		"goroutines":       runtime.NumGoroutine(),
		"goroutine_stacks": stacks,
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
	bufio.NewReader(os.Stdin).ReadString('\n')
	close(park)
	runtime.KeepAlive(held)
}
