// What a hush_model handle is: a parsed, read-only HushNet.
#pragma once

#include <memory>

#include "nn/hushnet.h"

struct hush_model {
  std::unique_ptr<hush::nn::HushNet> net;
};
