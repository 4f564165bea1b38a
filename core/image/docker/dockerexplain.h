// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerhost.h"
#include "core/image/pathexplainer.h"

namespace strata
{

/// `strata docker explain REF PATH`: the store-neutral explanation of a path.
using DockerExplain = PathExplainer;

} // namespace strata
