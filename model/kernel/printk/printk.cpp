// SPDX-License-Identifier: MIT
#include "include/linux/printk.h"

namespace pginit {

NullPrintk& null_printk()
{
  static NullPrintk sink;
  return sink;
}

}  // namespace pginit
