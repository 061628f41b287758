// SPDX-License-Identifier: MIT
#include "arch/x86/mm/vm_layout.h"

namespace pginit {

VirtualLayout VirtualLayout::for_kernel_at(phys_addr_t kernel_start)
{
  VirtualLayout l;
  // arch/x86/kernel/head64.c: phys_base = load address - link address.
  l.phys_base = kernel_start - LOAD_PHYSICAL_ADDR;
  return l;
}

}  // namespace pginit
