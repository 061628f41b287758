// SPDX-License-Identifier: MIT
#include "printk.h"

namespace pginit {

NullPrintk& null_printk()
{
  static NullPrintk sink;
  return sink;
}

}  // namespace pginit
