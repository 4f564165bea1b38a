// Precompiled for every target built on strata_ui (StrataPch.cmake). Only system and Qt headers.
#pragma once
#include "core.h"
#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <QWidget>
