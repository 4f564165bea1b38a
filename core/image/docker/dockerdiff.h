// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/image/docker/dockerhost.h"

namespace strata
{

/// `docker diff CTR`: the store-neutral diff of a container.
using DockerChange = ContainerChange;
using DockerDiff = ContainerDiff;

} // namespace strata
