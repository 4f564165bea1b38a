// Precompiled for the test executables (StrataPch.cmake). Only system and Qt headers.
#pragma once
#include "core.h"
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
