// SPDX-License-Identifier: MIT
#include "boot/traps.h"

#include "boot/percpu.h"

namespace pginit {

void trap_init(Kernel& k)
{
  KernelFrame frame(k.stack, "trap_init");
  KernelFrame f(k.stack, "setup_cpu_entry_areas");
  for (unsigned cpu = 0; cpu < nr_possible_cpus(k); cpu++) {
    KernelFrame g(k.stack, "setup_cpu_entry_area");
    // cea_set_pte(&cea->gdt, get_cpu_gdt_paddr(cpu), PAGE_KERNEL_RO)
    KernelFrame h(k.stack, "get_cpu_gdt_paddr");
    (void)per_cpu_ptr_to_phys(k, per_cpu_gdt_page(k, cpu));
  }
}

}  // namespace pginit
