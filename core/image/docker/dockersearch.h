// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerhost.h"
#include "core/image/layersearch.h"

namespace strata
{

/// find and grep over every overlay2 directory of a Docker host: the store-neutral search.
using DockerSearch = LayerSearch;

} // namespace strata
