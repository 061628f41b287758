// SPDX-License-Identifier: MIT
#include "boot/traps.h"

#include "boot/percpu.h"

namespace pginit {

void trap_init(BootState& st)
{
  KernelFrame frame(st.stack, "trap_init");
  KernelFrame f(st.stack, "setup_cpu_entry_areas");
  for (unsigned cpu = 0; cpu < nr_possible_cpus(st); cpu++) {
    KernelFrame g(st.stack, "setup_cpu_entry_area");
    // cea_set_pte(&cea->gdt, get_cpu_gdt_paddr(cpu), PAGE_KERNEL_RO)
    KernelFrame h(st.stack, "get_cpu_gdt_paddr");
    (void)per_cpu_ptr_to_phys(st, per_cpu_gdt_page(st, cpu));
  }
}

}  // namespace pginit
