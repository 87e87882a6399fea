// SPDX-License-Identifier: GPL-2.0
//
// DirectHold - a JVM that holds N direct ByteBuffers of 1 MiB each, for
// tests/vm/t-acc-java.sh.
//
//   java -cp build/workloads DirectHold [N]        (N: 64 by default)
//
// Allocates the buffers, writes one byte in every 4 KiB page of each, then
// prints one JSON line: the JVM's pid, its own view of the "direct" buffer
// pool (BufferPoolMXBean: MemoryUsed, Count, TotalCapacity), the heap
// (MemoryMXBean), its live thread count, and, when the JVM runs with
// -XX:NativeMemoryTracking=summary, the NMT summary text (the
// DiagnosticCommand MBean's vmNativeMemory, what `jcmd PID
// VM.native_memory summary` prints, without a second JVM).  Then it waits
// for a line (or EOF) on stdin and exits 0.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

public class DirectHold {
    static final int MIB = 1 << 20;

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
            case '"': b.append("\\\""); break;
            case '\\': b.append("\\\\"); break;
            case '\n': b.append("\\n"); break;
            case '\r': break;
            case '\t': b.append("\\t"); break;
            default:
                if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String nmtSummary() {
        try {
            MBeanServer s = ManagementFactory.getPlatformMBeanServer();
            Object r = s.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] { new String[] { "summary" } },
                    new String[] { String[].class.getName() });
            return String.valueOf(r);
        } catch (Exception e) {
            return "unavailable: " + e;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(MIB);
            for (int off = 0; off < MIB; off += 4096)
                b.put(off, (byte) (i | 1));
            held.add(b);
        }
        BufferPoolMXBean direct = null;
        for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (p.getName().equals("direct"))
                direct = p;
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        StringBuilder o = new StringBuilder("{\"stage\":\"ready\"");
        o.append(",\"pid\":").append(ProcessHandle.current().pid());
        o.append(",\"buffers\":").append(held.size());
        o.append(",\"direct_count\":").append(direct.getCount());
        o.append(",\"direct_memory_used\":").append(direct.getMemoryUsed());
        o.append(",\"direct_total_capacity\":").append(direct.getTotalCapacity());
        o.append(",\"heap_max\":").append(heap.getMax());
        o.append(",\"heap_committed\":").append(heap.getCommitted());
        o.append(",\"java_threads\":").append(ManagementFactory.getThreadMXBean().getThreadCount());
        o.append(",\"nmt\":").append(quote(nmtSummary()));
        o.append('}');
        System.out.println(o);
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        System.out.println("{\"stage\":\"done\",\"buffers\":" + held.size() + "}");
    }
}
